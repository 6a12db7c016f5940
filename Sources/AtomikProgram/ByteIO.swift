#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtomikSupport
import Synchronization

/// A buffered reader of a file descriptor: lines for text, bytes for binary.
/// Memory stays bounded by the longest line accepted (`maxLineLength`).
///
/// Its mutable state is `@exclusivity(unchecked)`: a reader is used by one
/// thread and never passed `inout`, and the checks cost more than the parsing
/// of a short line (this module is a library product: no unsafe flags).
public final class ByteReader {
    public static let maxLineLength = 1 << 20
    public let name: String
    private let fd: Int32
    private let ownsFD: Bool
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var atEOF = false
    /// Bytes consumed so far (the offset of the next byte).
    @exclusivity(unchecked) public private(set) var offset = 0

    /// Opens `path`, or standard input for "-".
    public init(path: String) throws {
        if path == "-" {
            fd = 0; ownsFD = false; name = "<stdin>"
        } else {
            let f = open(path, O_RDONLY)
            guard f >= 0 else {
                throw ProgramError("cannot open '\(path)': \(String(cString: strerror(errno)))")
            }
            fd = f; ownsFD = true; name = path
            do { try RunFiles.opened(input: f, path: path) } catch { close(f); throw error }
        }
        capacity = 1 << 16
        buffer = .allocate(capacity: capacity)
    }

    /// Reads from bytes in memory (`name` is what errors call them).
    public init(bytes: [UInt8], name: String) {
        fd = -1; ownsFD = false; self.name = name
        capacity = max(bytes.count, 1)
        buffer = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: bytes.count) }
        end = bytes.count
        atEOF = true
    }

    deinit {
        buffer.deallocate()
        if ownsFD { close(fd) }
    }

    /// Reads more bytes after `end`; returns false at end of file.
    private func fill() throws -> Bool {
        if atEOF { return false }
        if start > 0 {
            let n = end - start
            if n > 0 { buffer.update(from: buffer + start, count: n) }
            start = 0; end = n
        }
        if end == capacity {
            let newCapacity = capacity * 2
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown; capacity = newCapacity
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n > 0 { end += n; return true }
            if n == 0 { atEOF = true; return false }
            // Ctrl-C or SIGTERM during a blocked read (a FIFO, a terminal) ends the input here;
            // the caller, which polls `Interrupt`, then says the run was interrupted.
            if errno == EINTR && Interrupt.requested { atEOF = true; return false }
            if errno == EINTR { continue }
            throw ProgramError("cannot read '\(name)': \(String(cString: strerror(errno)))")
        }
    }

    /// Skips a UTF-8 byte-order mark (some editors write one) at the current position.
    public func skipByteOrderMark() throws {
        if try peek(3) == [0xEF, 0xBB, 0xBF] { for _ in 0..<3 { _ = try nextByte() } }
    }

    /// The first bytes of the input without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        while end - start < count, try fill() {}
        return Array(UnsafeBufferPointer(start: buffer + start, count: min(count, end - start)))
    }

    /// The next line without its terminator (LF or CRLF), or nil at end of input.
    /// The buffer is valid until the next call.
    public func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        var scanned = start
        while true {
            if let nl = findNewline(from: scanned) {
                var lineEnd = nl
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
                offset += nl + 1 - start
                start = nl + 1
                return line
            }
            if end - start > Self.maxLineLength {
                throw ProgramError("line longer than \(Self.maxLineLength) bytes")
            }
            let consumed = scanned - start
            if try !fill() {
                if start == end { return nil }
                let line = UnsafeBufferPointer(start: buffer + start, count: end - start)
                offset += end - start
                start = end
                return line
            }
            scanned = start + consumed
        }
    }

    private func findNewline(from: Int) -> Int? {
        guard from < end else { return nil }
        guard let p = memchr(buffer + from, 0x0A, end - from) else { return nil }
        return buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    /// The next byte, or nil at end of input.
    @inline(__always) public func nextByte() throws -> UInt8? {
        if start == end, try !fill() { return nil }
        let b = buffer[start]
        start += 1; offset += 1
        return b
    }
}

/// A small line-oriented input read whole (a regression list, a sweep-point
/// file, a DUT description, a file list): through `ByteReader`, so each line
/// is capped, with the whole capped too; a UTF-8 byte-order mark is dropped;
/// errors name the file and the line.
public enum TextFile {
    public static let maxBytes = 16 << 20

    public static func read(_ path: String) throws(ProgramError) -> String {
        do {
            let reader = try ByteReader(path: path)
            try reader.skipByteOrderMark()
            var bytes: [UInt8] = []
            var line = 0
            while true {
                let next: UnsafeBufferPointer<UInt8>?
                do { next = try reader.nextLine() } catch let e as ProgramError {
                    throw ProgramError(e.message, at: SourceLocation(file: path, line: line + 1, column: 1))
                }
                guard let text = next else { break }
                line += 1
                bytes.append(contentsOf: text)
                bytes.append(0x0A)
                if bytes.count > maxBytes {
                    throw ProgramError("more than \(maxBytes >> 20) MiB: not a list this tool reads",
                                       at: SourceLocation(file: path, line: line, column: 1))
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        } catch let e as ProgramError { throw e } catch { throw ProgramError("\(error)") }
    }
}

/// A buffered writer to a file descriptor (standard output or error, or a file).
public final class ByteWriter {
    private let fd: Int32
    private let ownsFD: Bool
    /// What write errors call it: the file's path, or "standard output".
    public let name: String
    @exclusivity(unchecked) private var buffer: [UInt8] = []   // one writer, one thread
    private let flushAt = 1 << 16

    nonisolated(unsafe) public static let standardOutput = ByteWriter(fd: 1, name: "standard output")
    nonisolated(unsafe) public static let standardError = ByteWriter(fd: 2, name: "standard error")

    public init(fd: Int32, name: String) { self.fd = fd; self.name = name; ownsFD = false; buffer.reserveCapacity(flushAt * 2) }

    /// Creates (or truncates) `path` for writing.
    public init(path: String) throws {
        let f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard f >= 0 else { throw ProgramError("cannot write '\(path)': \(String(cString: strerror(errno)))") }
        fd = f; ownsFD = true; name = path
        buffer.reserveCapacity(flushAt * 2)
    }

    deinit {
        try? flush()
        if ownsFD { close(fd) }
    }

    /// Appends bytes and flushes when the buffer is full.
    @inline(__always) public func write(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= flushAt { try flush() }
    }

    public func write(_ string: String) throws {
        try write { $0.append(contentsOf: string.utf8) }
    }

    public func flush() throws {
        var done = 0
        try buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    buffer.removeAll(keepingCapacity: true)   // not again from deinit
                    throw ProgramError(name.hasPrefix("standard ") ? "cannot write to \(name): \(reason)"
                                                                     : "cannot write '\(name)': \(reason)")
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The files one run of the command-line tool reads and writes, so that an
/// output is never one of its inputs nor another of its outputs. Off unless
/// `checking` (the tool turns it on; a library user's process may read and
/// write one file many times).
public enum RunFiles {
    nonisolated(unsafe) public static var checking = false

    struct FileID: Hashable { let device: UInt64; let inode: UInt64 }
    private static let files = Mutex((inputs: Set<FileID>(), outputs: Set<String>(), existingOutputs: Set<FileID>()))

    static func id(_ st: stat) -> FileID { FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) }

    /// Whether two paths name one existing file.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && id(x) == id(y)
    }

    /// An input `path` was opened as `fd`; refused when an output of this run claimed it first.
    static func opened(input fd: Int32, path: String) throws {
        guard checking else { return }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return }
        try files.withLock { f in
            if f.existingOutputs.contains(id(st)) {
                throw ProgramError("'\(path)' is an output of this run: reading it as an input would destroy it (name another output)")
            }
            f.inputs.insert(id(st))
        }
    }

    /// Claims `path` (resolved, absolute) as an output of this run, whose file (if it exists) is `existing`.
    static func claim(output shown: String, resolved: String, existing: stat?) throws {
        guard checking else { return }
        try files.withLock { f in
            if let existing, f.inputs.contains(id(existing)) {
                throw ProgramError("'\(shown)' is an input of this run: writing it would destroy it (name another output)")
            }
            guard f.outputs.insert(resolved).inserted else {
                throw ProgramError("'\(shown)' is named twice as an output of this run (each output needs a file of its own)")
            }
            if let existing { f.existingOutputs.insert(id(existing)) }
        }
    }
}

/// A file written under a temporary name and renamed into place by `commit`,
/// so a failed or interrupted write never leaves a file that looks complete.
///
/// What is there already is never damaged: "-" is standard output; a target
/// that is not a regular file (a device such as /dev/null, a FIFO, a
/// terminal) is written through, not renamed over; a symbolic link is
/// followed and its target replaced, so the link stays; a directory is
/// refused, and so is a file this run reads or writes already (`RunFiles`).
public final class AtomicOutput {
    public let path: String
    /// The temporary file, renamed onto `target` by `commit`; nil when written through.
    private let temporaryPath: String?
    private let target: String
    public let writer: ByteWriter
    /// Renamed into place, or removed.
    private var settled = false

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            try RunFiles.claim(output: "standard output", resolved: "-", existing: nil)
            target = path; temporaryPath = nil
            writer = ByteWriter(fd: 1, name: "standard output")
            return
        }
        let (resolved, existing) = try Self.resolve(path)
        try RunFiles.claim(output: path, resolved: resolved, existing: existing)
        target = resolved
        if let existing, existing.st_mode & S_IFMT != S_IFREG {
            // A device, FIFO or socket: written through, as a shell's `>` would.
            temporaryPath = nil
            writer = try ByteWriter(path: resolved)
        } else {
            temporaryPath = resolved + ".partial"
            writer = try ByteWriter(path: resolved + ".partial")
        }
    }

    /// The absolute path behind `path` (symbolic links followed) and what is there now.
    static func resolve(_ path: String) throws -> (String, stat?) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            // Nothing there yet (or a dangling link): the directory is resolved, the name kept.
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            guard let real = realpath(dir, nil) else {
                throw ProgramError("cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            defer { free(real) }
            let base = String(cString: real)
            return ((base == "/" ? "" : base) + "/" + name, nil)
        }
        if st.st_mode & S_IFMT == S_IFDIR { throw ProgramError("cannot write '\(path)': it is a directory") }
        guard let real = realpath(path, nil) else { return (path, st) }
        defer { free(real) }
        return (String(cString: real), st)
    }

    /// Flushes and renames the file into place.
    public func commit() throws {
        try writer.flush()
        if let temporaryPath {
            guard rename(temporaryPath, target) == 0 else {
                throw ProgramError("cannot rename '\(temporaryPath)' to '\(path)': \(String(cString: strerror(errno)))")
            }
        }
        settled = true
    }

    /// Removes the unfinished file now, rather than when this is released
    /// (which a worker thread holding it may do after the process has exited).
    public func discard() {
        guard !settled else { return }
        if let temporaryPath { unlink(temporaryPath) }
        settled = true
    }

    deinit { discard() }
}
