import ArgumentParser
import AtomikCore
import AtomikProgram

import AtomikSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `atomik` command: simulate, assemble and check ATOMiK instruction streams.
@main
struct Atomik: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atomik",
        abstract: "ATOMiK Sim: run, assemble and check ATOMiK delta-state instruction streams.",
        subcommands: [Run.self, Cosim.self, Prove.self, Vectors.self, Explore.self, Merge.self, Submit.self, Fuzz.self, Assemble.self, Disassemble.self, Example.self, GenerateHeader.self]
    )

    /// Exit codes: 0 success, 1 a check found a difference, 2 bad input or usage.
    static func main() {
        Interrupt.install()
        RunFiles.checking = true   // no output of a run may be one of its inputs or another output
        Scratch.sweepStale()       // what killed runs left in the temporary directory
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch let stop as Interrupted {
            RunProgress.finish()   // ends a progress line left open, so the message starts a line
            try? ByteWriter.standardOutput.flush()
            FileHandleless.stderr("atomik: \(stop.description)\n")
            Glibc.exit(130)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message: String
            switch error {
            case let e as ProgramError: message = e.description
            case let e as AtomikError: message = "error: \(e.description)"
            case let e as CocoaError: message = "error: " + FileError.describe(e)
            default: message = fullMessage(for: error)
            }
            RunProgress.finish()
            try? ByteWriter.standardOutput.flush()
            FileHandleless.stderr("atomik: \(Self.printable(message))\n")
            Glibc.exit(2)
        }
    }
}

extension Atomik {
    /// A message with the control characters and invalid bytes it may quote from
    /// the input shown as escapes (line breaks and tabs of tools' output kept).
    static func printable(_ message: String) -> String {
        var out = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: out.unicodeScalars.append(scalar)
            case 0..<0x20, 0x7F: out += String(format: "\\x%02x", scalar.value)
            case 0xFFFD: out += "\\ufffd"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Writes to standard error without Foundation.
enum FileHandleless {
    static func stderr(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
