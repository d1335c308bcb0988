import XCTest
@testable import RecoupModels
final class PlaceholderTests: XCTestCase { func testModuleLoads() { XCTAssertNotNil(RecoupModels.self) } }
