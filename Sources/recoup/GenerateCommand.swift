import ArgumentParser
import RecoupGenerator

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a realistic synthetic book (the four CSV files).")
    func run() throws {}
}
