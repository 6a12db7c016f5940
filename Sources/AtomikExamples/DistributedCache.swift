import AtomikCore

/// One node of the seed's distributed cache: a `DeltaStream` and its peers.
public struct CacheNode: Sendable {
    public let name: String
    /// Indices of the connected nodes in the cluster.
    public internal(set) var peers: [Int] = []
    public private(set) var stream: DeltaStream
    /// Sequence number of the last message this node sent.
    public private(set) var seq: UInt32 = 0
    /// Messages received from peers.
    public private(set) var received = 0

    public init(name: String) throws {
        self.name = name
        stream = try DeltaStream()
    }

    /// The current value of `key` (0 for a key never written).
    public func get(_ key: UInt32) -> UInt64 { stream.read(addr: key) }

    /// LOADs `value` locally without telling the peers: every node starts from the same reference.
    public mutating func seed(_ key: UInt32, _ value: UInt64) {
        stream.load(addr: key, initialState: value)
    }

    /// put: read the old value, LOAD the new one, and return the delta `old ^ new` for the peers.
    public mutating func put(_ key: UInt32, _ value: UInt64) -> DeltaMessage {
        let old = stream.read(addr: key)
        stream.load(addr: key, initialState: value)
        seq &+= 1
        return DeltaMessage(addr: key, delta: old ^ value, epoch: stream.epoch, seq: seq)
    }

    /// Decodes a 16-byte wire message from a peer and ACCUMs its delta.
    @discardableResult
    public mutating func receive(_ wire: [UInt8]) throws -> DeltaMessage {
        let msg = try DeltaMessage(bytes: wire)
        stream.apply(msg)
        received += 1
        return msg
    }

    /// SWAP: the pending deltas of `key` become its reference and a new epoch starts;
    /// returns the state. `DeltaStream` has no SWAP, so this is LOAD of the state read.
    @discardableResult
    public mutating func swap(_ key: UInt32) -> UInt64 {
        let current = stream.read(addr: key)
        stream.load(addr: key, initialState: current)
        return current
    }
}

/// Nodes plus an in-memory network that carries each message as its 16 wire bytes.
public struct CacheCluster: Sendable {
    public private(set) var nodes: [CacheNode]
    private var inFlight: [(to: Int, wire: [UInt8])] = []
    public private(set) var messagesSent = 0
    public private(set) var bytesSent = 0

    public init(names: [String]) throws {
        nodes = try names.map { try CacheNode(name: $0) }
    }

    /// Connects two nodes both ways: each sends its deltas to the other.
    public mutating func connect(_ a: Int, _ b: Int) {
        nodes[a].peers.append(b)
        nodes[b].peers.append(a)
    }

    public mutating func seed(_ key: UInt32, _ value: UInt64) {
        for i in nodes.indices { nodes[i].seed(key, value) }
    }

    /// Node `i` writes; its message is queued for every peer and returned.
    @discardableResult
    public mutating func put(node i: Int, _ key: UInt32, _ value: UInt64) -> DeltaMessage {
        let msg = nodes[i].put(key, value)
        let wire = msg.bytes
        for peer in nodes[i].peers {
            inFlight.append((peer, wire))
            messagesSent += 1
            bytesSent += wire.count
        }
        return msg
    }

    /// Delivers every queued message, oldest first, and returns what the receivers decoded.
    @discardableResult
    public mutating func deliver() throws -> [DeltaMessage] {
        defer { inFlight.removeAll() }
        return try inFlight.map { try nodes[$0.to].receive($0.wire) }
    }

    public mutating func swap(_ key: UInt32) -> [UInt64] {
        nodes.indices.map { nodes[$0].swap(key) }
    }

    /// `key` as read on every node, in node order.
    public func read(_ key: UInt32) -> [UInt64] { nodes.map { $0.get(key) } }
}

/// distributed-cache.txt: three nodes, full mesh, writes from any node converge.
public struct DistributedCache: ExampleResult {
    /// The value every node starts with at key 0.
    public static let initial: UInt64 = 0xCAFE_BABE
    /// The value node A writes at key 0.
    public static let written: UInt64 = 0xDEAD_BEEF
    /// The delta the article prints; it is not `initial ^ written`.
    public static let articleDelta: UInt64 = 0x1453_1455
    /// Concurrent writes: B at key 1, C at key 2.
    public static let key1Value: UInt64 = 0xB1B1_B1B1
    public static let key2Value: UInt64 = 0xC2C2_C2C2
    /// Concurrent writes to key 0 by A and B.
    public static let sameKeyA: UInt64 = 0x1111_1111
    public static let sameKeyB: UInt64 = 0x2222_2222
    /// The write C makes in the epoch after the SWAP.
    public static let afterSwap: UInt64 = 0x0BAD_F00D

    public let names: [String]
    /// A's delta for key 0, `initial ^ written`.
    public let delta: UInt64
    /// A's message as sent on the wire.
    public let wire: [UInt8]
    /// Key 0 on A, B, C after A's put.
    public let readsAfterPut: [UInt64]
    /// Keys 1 and 2 on A, B, C after B and C wrote them concurrently.
    public let key1Reads: [UInt64]
    public let key2Reads: [UInt64]
    /// `written ^ sameKeyA ^ sameKeyB` if A and B wrote key 0 from the same base.
    public let composedExpected: UInt64
    public let composedReads: [UInt64]
    /// What SWAP of key 0 returned on A, B, C.
    public let swapped: [UInt64]
    /// Key 0 on A, B, C after C's write in the new epoch.
    public let readsAfterSwap: [UInt64]
    /// Epoch of C's last message as sent, and as decoded from its 16 bytes.
    public let sentEpoch: UInt64
    public let decodedEpoch: UInt64
    public let messagesSent: Int
    public let bytesSent: Int

    public var holds: Bool {
        delta == Self.initial ^ Self.written
            && readsAfterPut.allSatisfy { $0 == Self.written }
            && key1Reads.allSatisfy { $0 == Self.key1Value }
            && key2Reads.allSatisfy { $0 == Self.key2Value }
            && composedReads.allSatisfy { $0 == composedExpected }
            && swapped == composedReads
            && readsAfterSwap.allSatisfy { $0 == Self.afterSwap }
    }

    /// Runs the article's scenario and the concurrent-write cases.
    public static func run() throws -> DistributedCache {
        var cluster = try CacheCluster(names: ["A", "B", "C"])
        cluster.connect(0, 1)
        cluster.connect(0, 2)
        cluster.connect(1, 2)

        cluster.seed(0, initial)
        let first = cluster.put(node: 0, 0, written)
        try cluster.deliver()
        let readsAfterPut = cluster.read(0)

        cluster.put(node: 1, 1, key1Value)
        cluster.put(node: 2, 2, key2Value)
        try cluster.deliver()
        let key1Reads = cluster.read(1), key2Reads = cluster.read(2)

        let base = cluster.read(0)[0]
        cluster.put(node: 0, 0, sameKeyA)
        cluster.put(node: 1, 0, sameKeyB)
        try cluster.deliver()
        let composedReads = cluster.read(0)

        let swapped = cluster.swap(0)
        let last = cluster.put(node: 2, 0, afterSwap)
        let decoded = try cluster.deliver()

        return DistributedCache(
            names: cluster.nodes.map(\.name), delta: first.delta, wire: first.bytes,
            readsAfterPut: readsAfterPut, key1Reads: key1Reads, key2Reads: key2Reads,
            composedExpected: base ^ sameKeyA ^ sameKeyB, composedReads: composedReads,
            swapped: swapped, readsAfterSwap: cluster.read(0),
            sentEpoch: last.epoch, decodedEpoch: decoded.last?.epoch ?? 0,
            messagesSent: cluster.messagesSent, bytesSent: cluster.bytesSent)
    }

    private func reads(_ values: [UInt64]) -> String {
        zip(names, values).map { "\($0)=\(hex($1))" }.joined(separator: " ")
    }

    public var report: [String] {
        [
            "three nodes A, B, C, full mesh; all LOAD \(hex(Self.initial)) at key 0",
            "A puts \(hex(Self.written)): delta = \(hex(Self.initial)) ^ \(hex(Self.written)) = \(hex(delta))",
            delta == Self.articleDelta
                ? "the article's delta \(hex(Self.articleDelta)) matches"
                : "the article's figure \(hex(Self.articleDelta)) is wrong: the XOR is \(hex(delta))",
            "wire message (addr, delta, seq): \(wireHex(wire)) (\(wire.count) bytes)",
            "after A's put: \(reads(readsAfterPut))",
            "B writes key 1 = \(hex(Self.key1Value)), C writes key 2 = \(hex(Self.key2Value)) concurrently",
            "key 1: \(reads(key1Reads)); key 2: \(reads(key2Reads))",
            "A writes \(hex(Self.sameKeyA)) and B writes \(hex(Self.sameKeyB)) to key 0 concurrently",
            "all writers compose: \(reads(composedReads)), expected old ^ a ^ b = \(hex(composedExpected)); neither written value survives",
            "SWAP key 0 on every node: \(reads(swapped)) becomes the reference of a new epoch",
            "C puts \(hex(Self.afterSwap)) in the new epoch: \(reads(readsAfterSwap))",
            "the epoch is not on the wire (sent \(sentEpoch), decoded \(decodedEpoch)): a late delta from an old epoch would still be accumulated, so SWAP checkpoints but does not make the last writer win",
            "\(messagesSent) messages, \(bytesSent) bytes on the wire",
            holds ? "all nodes converged in every case" : "the nodes did NOT converge as expected",
        ]
    }
}
