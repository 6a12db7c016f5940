import AtomikCore

/// Pattern 3, fingerprint gate: a reading is transmitted only when its XOR
/// fingerprint differs from that of the last transmitted buffer.
public struct FingerprintGate: ExampleResult {
    public struct Reading: Sendable {
        public let note: String
        public let data: [UInt8]
    }

    /// The buffer the gate starts with.
    public static let initial: [UInt8] = Array(0..<16)
    /// The sensor readings, in order.
    public static let readings: [Reading] = {
        var changed = initial
        changed[3] = 0xFF
        let swappedChunks = Array(changed[8..<16] + changed[0..<8])
        let fresh: [UInt8] = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        return [
            Reading(note: "unchanged", data: initial),
            Reading(note: "byte 3 set to 0xff", data: changed),
            Reading(note: "unchanged", data: changed),
            Reading(note: "8-byte chunks swapped", data: swappedChunks),
            Reading(note: "4 zero bytes appended", data: swappedChunks + [0, 0, 0, 0]),
            Reading(note: "new data", data: fresh),
            Reading(note: "unchanged", data: fresh),
        ]
    }()

    /// The fingerprint of `initial`.
    public let reference: UInt64
    /// The fingerprint of every reading.
    public let fingerprints: [UInt64]
    /// Indices of the readings that were transmitted.
    public let transmitted: [Int]
    /// Indices of readings whose bytes differed from the last transmitted buffer
    /// but whose fingerprint did not: changes a checksum cannot see.
    public let missed: [Int]

    public var skipped: Int { Self.readings.count - transmitted.count }
    public var holds: Bool { transmitted == [1, 5] && missed == [3, 4] }

    public static func run() throws -> FingerprintGate {
        var fp = try Fingerprint(width: 64)
        let reference = fp.load(initial).low64
        var last = initial
        var transmitted: [Int] = [], missed: [Int] = [], fingerprints: [UInt64] = []
        for (i, reading) in readings.enumerated() {
            fingerprints.append(fp.update(reading.data).low64)
            if fp.changed {
                transmitted.append(i)
                last = reading.data
                fp.load(reading.data)
            } else if reading.data != last {
                missed.append(i)
            }
        }
        return FingerprintGate(reference: reference, fingerprints: fingerprints,
                               transmitted: transmitted, missed: missed)
    }

    public var report: [String] {
        var lines = ["reference: fingerprint of bytes 00..0f = \(hex(reference, digits: 16))"]
        for (i, reading) in Self.readings.enumerated() {
            let action = transmitted.contains(i) ? "changed -> transmit"
                : missed.contains(i) ? "skip (missed change)" : "skip"
            lines.append("reading \(i) (\(reading.note), \(reading.data.count) bytes): fingerprint \(hex(fingerprints[i], digits: 16)), \(action)")
        }
        lines.append("\(Self.readings.count) readings, \(transmitted.count) transmitted, \(skipped) skipped; \(missed.count) of the skipped readings really changed: an XOR checksum does not see reordered chunks or appended zeros")
        lines.append(holds ? "the gate behaved as expected" : "the gate did NOT behave as expected")
        return lines
    }
}
