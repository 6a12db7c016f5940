import AtomikCore
import AtomikISA

/// A program read one item at a time from a file or standard input, text or
/// binary (told apart by the binary magic), so that streams of any length run
/// in bounded memory.
public final class ProgramSource {
    public enum Format: String, Sendable { case text, binary }

    public let format: Format
    public let options: ProgramOptions
    private let reader: ByteReader
    @exclusivity(unchecked) private var lineNumber = 0

    /// Opens `path` ("-" for standard input).
    public convenience init(path: String, options: ProgramOptions) throws(ProgramError) {
        let reader: ByteReader
        do { reader = try ByteReader(path: path) } catch let e as ProgramError { throw e } catch { throw ProgramError("\(error)") }
        try self.init(reader: reader, options: options)
    }

    /// Reads a program from `reader` (a file, standard input, or bytes in memory).
    public init(reader: ByteReader, options: ProgramOptions) throws(ProgramError) {
        do {
            self.reader = reader
            self.options = options
            if try reader.peek(BinaryFormat.magic.count) == BinaryFormat.magic {
                format = .binary
                for _ in BinaryFormat.magic { _ = try reader.nextByte() }
            } else {
                format = .text
                try reader.skipByteOrderMark()   // not part of the first line
            }
        } catch let e as ProgramError { throw e } catch { throw ProgramError("\(error)") }
    }

    /// The input's name as errors show it.
    public var name: String { reader.name }

    /// Where the item returned last came from.
    public var location: SourceLocation {
        format == .text ? SourceLocation(file: reader.name, line: lineNumber, column: 1)
            : SourceLocation(file: reader.name, byteOffset: reader.offset)
    }

    /// The next item, or nil at the end of the program.
    public func next() throws(ProgramError) -> ProgramItem? {
        switch format {
        case .binary:
            return try BinaryFormat.decode(from: reader, options: options)
        case .text:
            while true {
                let line: UnsafeBufferPointer<UInt8>
                do {
                    guard let l = try reader.nextLine() else { return nil }
                    line = l
                } catch let e as ProgramError {
                    throw ProgramError(e.message, at: SourceLocation(file: reader.name, line: lineNumber + 1, column: 1))
                } catch { throw ProgramError("\(error)") }
                lineNumber += 1
                if let item = try TextFormat.parse(line: line, number: lineNumber, file: reader.name, options: options) {
                    return item
                }
            }
        }
    }
}
