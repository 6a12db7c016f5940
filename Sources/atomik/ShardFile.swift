import ArgumentParser
import AtomikCore
import AtomikCosim
import AtomikExplore
import AtomikProgram
import AtomikSupport
import Foundation

/// The results of one shard of a long job (`--shard I/N` of a regression, a
/// mutation check or a sweep), written whole as `shard-I-of-N.json` when the
/// shard finishes; `atomik merge` renders the job's report from all N of them.
/// Every shard of a job carries the same `job` (a hash of its list and of the
/// options that shape its results), so shards of different jobs are not mixed.
struct ShardFile: Codable {
    static let currentFormat = "atomik-shard 1"

    enum Kind: String, Codable { case regression, mutation, explore }

    var format = ShardFile.currentFormat
    var kind: Kind
    var job: String
    var shard: Int
    var shards: Int
    /// Items of the whole job: regression entries, mutants or design points.
    var items: Int
    /// When, and by which tool, the shard was made.
    var made: String
    /// A regression or a mutation check: its report, whose records name their item,
    /// and how many records its slice makes (an entry has one per simulator).
    var regression: RegressionReport?
    var testCases: Int?
    /// A sweep: the report's options line, its points' offsets in the sweep and their results.
    var explore: ExploreShard?

    struct ExploreShard: Codable {
        var devices: [Device]
        var options: String
        var provenance: String
        var offsets: [Int]
        var results: [PointResult]
    }

    /// A job's identity: a hash of the words that shape its results.
    static func job(_ words: [String]) -> String { String(FNV1a.hash(words.joined(separator: "\n").utf8), radix: 16) }

    /// Writes the shard file into `directory` (whole, or not at all); returns its path.
    @discardableResult
    func write(to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(Shard(index: shard, count: shards).fileName)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(self)
        let file = try AtomicOutput(path: path)
        try file.writer.write { $0.append(contentsOf: data) }
        try file.commit()
        return path
    }

    static var madeNow: String { "\(ISO8601DateFormatter().string(from: Date())) by \(ToolVersion.string)" }
}

extension Shard {
    /// `--shard`'s value, refused as a usage error when it is not I/N.
    static func option(_ text: String?) throws -> Shard? {
        guard let text else { return nil }
        do { return try Shard(parsing: text) } catch { throw ValidationError(error.description) }
    }
}
