import AtomikCore

/// Pattern 5, multi-stream convergence: streams that start from the same
/// references and exchange their deltas as 16-byte messages, each receiver in
/// its own order, end in the same state.
public struct MultiStreamConvergence: ExampleResult {
    public struct Write: Sendable {
        public let stream: Int
        public let addr: UInt32
        public let delta: UInt64
    }

    public static let names = ["A", "B", "C"]
    /// Every stream LOADs this at address 0; addresses 1 and 2 start untouched (0).
    public static let initialState: UInt64 = 0xCAFE
    public static let addresses: [UInt32] = [0, 1, 2]
    /// The local ACCUMs, in the order they happen; message i is write i.
    public static let writes: [Write] = [
        Write(stream: 0, addr: 0, delta: 0x00FF), Write(stream: 0, addr: 1, delta: 0x0001),
        Write(stream: 1, addr: 0, delta: 0xF000), Write(stream: 1, addr: 2, delta: 0x00AB),
        Write(stream: 2, addr: 1, delta: 0x0010), Write(stream: 2, addr: 0, delta: 0x0F00),
    ]
    /// The order in which each receiver gets the messages (its own are skipped).
    public static let deliveryOrders: [[Int]] = [[5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2], [1, 4, 0, 5, 2, 3]]

    /// The article's two-node case: A and B read address 0 after B applied A's message.
    public let pairReads: [UInt64]
    /// Each message as sent, and as its 16 wire bytes.
    public let sent: [DeltaMessage]
    public let wires: [[UInt8]]
    /// Message indices each receiver applied, in order.
    public let delivered: [[Int]]
    /// Whether every decoded message had the sent addr, delta and seq.
    public let wireRoundTrips: Bool
    /// `finalStates[s][a]`: stream `s` at `addresses[a]`.
    public let finalStates: [[UInt64]]
    /// The states folded from `writes` without any stream.
    public let expected: [UInt64]
    /// Address 0 of stream B after message 0 was delivered to it a second time.
    public let duplicateRead: UInt64

    public var holds: Bool {
        pairReads == [Self.initialState ^ 0x00FF, Self.initialState ^ 0x00FF]
            && wireRoundTrips && finalStates.allSatisfy { $0 == expected }
    }

    public static func run() throws -> MultiStreamConvergence {
        var pair = try [DeltaStream(), DeltaStream()]
        for i in pair.indices { pair[i].load(addr: 0, initialState: initialState) }
        let pairWire = pair[0].accum(addr: 0, delta: 0x00FF).bytes
        pair[1].apply(try DeltaMessage(bytes: pairWire))
        let pairReads = pair.map { $0.read(addr: 0) }

        var streams = try names.map { _ in try DeltaStream() }
        for i in streams.indices { streams[i].load(addr: 0, initialState: initialState) }
        let sent = writes.map { streams[$0.stream].accum(addr: $0.addr, delta: $0.delta) }
        let wires = sent.map(\.bytes)

        var delivered: [[Int]] = [], roundTrips = true
        for r in streams.indices {
            let order = deliveryOrders[r].filter { writes[$0].stream != r }
            for m in order {
                let msg = try DeltaMessage(bytes: wires[m])
                roundTrips = roundTrips && msg.addr == sent[m].addr && msg.delta == sent[m].delta && msg.seq == sent[m].seq
                streams[r].apply(msg)
            }
            delivered.append(order)
        }

        var expected = addresses.map { $0 == 0 ? initialState : 0 }
        for w in writes { expected[Int(w.addr)] ^= w.delta }

        var duplicate = streams[1]
        duplicate.apply(try DeltaMessage(bytes: wires[0]))

        return MultiStreamConvergence(
            pairReads: pairReads, sent: sent, wires: wires, delivered: delivered, wireRoundTrips: roundTrips,
            finalStates: streams.map { s in addresses.map { s.read(addr: $0) } },
            expected: expected, duplicateRead: duplicate.read(addr: 0))
    }

    public var report: [String] {
        var lines = [
            "two streams LOAD \(hex(Self.initialState, digits: 4)); A ACCUMs 0x00ff and B applies its 16 bytes: A=\(hex(pairReads[0], digits: 4)) B=\(hex(pairReads[1], digits: 4))",
            "three streams A, B, C LOAD \(hex(Self.initialState, digits: 4)) at address 0 and make \(sent.count) local writes:",
        ]
        for (i, (w, wire)) in zip(Self.writes, wires).enumerated() {
            lines.append("  message \(i): \(Self.names[w.stream]) addr \(w.addr) delta \(hex(w.delta, digits: 4)) -> \(wireHex(wire))")
        }
        for (r, order) in delivered.enumerated() {
            let states = finalStates[r].map { hex($0, digits: 4) }.joined(separator: " ")
            lines.append("\(Self.names[r]) receives messages \(order.map(String.init).joined(separator: ",")) -> addresses 0,1,2 = \(states)")
        }
        lines.append("expected \(expected.map { hex($0, digits: 4) }.joined(separator: " ")); the wire round trip \(wireRoundTrips ? "kept" : "did NOT keep") addr, delta and seq")
        lines.append("no deduplication: delivering message 0 to B a second time leaves address 0 at \(hex(duplicateRead, digits: 4))")
        lines.append(holds ? "all streams converged" : "the streams did NOT converge")
        return lines
    }
}
