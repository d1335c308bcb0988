import Benchmark
import RecoupStore

/// Encode and decode throughput of every lightweight encoding on 1M realistic values
/// (250k for free-text notes), and LZ4 against zstd on the same encoded payloads.
/// Each iteration encodes or decodes one whole column block: values/s = count / wall clock.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    for set in Datasets.all() {
        let data = set.data
        for encoding in set.encodings {
            let (block, info) = try! BlockCodec.encode(data, as: encoding, codec: .none)
            let ratio = Double(info.plainBytes) / Double(max(info.storedBytes, 1))
            let label = "\(set.name) \(encoding) [\(info.storedBytes) B, x\(String(format1(ratio)))]"
            Benchmark("Encode \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try! BlockCodec.encode(data, as: encoding, codec: .none))
                }
            }
            Benchmark("Decode \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try! BlockCodec.decode(block))
                }
            }
        }
        // The chooser: analyze every candidate, then encode the winner.
        let chosen = BlockCodec.encode(data, policy: .none).info
        Benchmark("Choose \(set.name) -> \(chosen.encoding) [\(chosen.storedBytes) B]") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(BlockCodec.encode(data, policy: .none))
            }
        }
    }

    // Block compression: the same lightweight payloads through LZ4 and zstd.
    let sets = Datasets.all()
    for (name, encoding) in [("notes string 250k", Encoding.plain), ("amounts int64", .bitpack), ("dates int32", .deltaBitpack), ("statuses string", .dictionary)] {
        guard let set = sets.first(where: { $0.name == name }) else { continue }
        for codec in Codec.allCases {
            let (block, info) = try! BlockCodec.encode(set.data, as: encoding, codec: codec)
            let label = "\(name) \(encoding)+\(codec) [\(info.storedBytes) B]"
            Benchmark("Compress \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try! BlockCodec.encode(set.data, as: encoding, codec: codec))
                }
            }
            Benchmark("Decompress+decode \(label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try! BlockCodec.decode(block))
                }
            }
        }
    }

    // The checksum over a 64 MiB buffer.
    let buffer = (0..<(64 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    Benchmark("XXH64 64 MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(XXH64.hash(buffer))
        }
    }

    registerCSVBenchmarks()
}

private func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
