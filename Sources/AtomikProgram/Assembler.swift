import AtomikISA

/// Converts between the text and binary program formats, streaming.
public enum Assembler {
    /// Text (or binary) in, binary out.
    public static func assemble(_ source: ProgramSource, to output: ByteWriter) throws -> Int {
        try output.write { $0.append(contentsOf: BinaryFormat.magic) }
        var count = 0
        while let item = try source.next() {
            try output.write { BinaryFormat.encode(item, into: &$0) }
            count += 1
        }
        try output.flush()
        return count
    }

    /// Binary (or text) in, canonical text out.
    public static func disassemble(_ source: ProgramSource, to output: ByteWriter) throws -> Int {
        var count = 0
        while let item = try source.next() {
            try output.write {
                TextFormat.append(item, to: &$0)
                $0.append(0x0A)
            }
            count += 1
        }
        try output.flush()
        return count
    }
}
