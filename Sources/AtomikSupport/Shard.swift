/// One slice of a long job run on many machines: `--shard I/N` takes every
/// Nth item of the job's list from the Ith (1-based), so the N slices cover
/// it exactly once and `atomik merge` puts their results back in order.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// Reads `I/N` with 1 <= I <= N; the error names the option and what was found.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, n <= 100_000, (1...n).contains(i) else {
            throw ShardError("--shard: expected I/N with 1 <= I <= N <= 100000, found '\(text)'")
        }
        index = i; count = n
    }

    /// The offsets of a list of `total` items that are this shard's.
    public func offsets(of total: Int) -> [Int] { Array(stride(from: index - 1, to: total, by: count)) }

    /// `shard-I-of-N`: the name of the shard's files and directories.
    public var name: String { "shard-\(index)-of-\(count)" }

    /// The file a shard's results are written to: `shard-I-of-N.json`.
    public var fileName: String { name + ".json" }

    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that is not I/N.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
