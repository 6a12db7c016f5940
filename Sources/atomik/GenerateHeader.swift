import ArgumentParser
import AtomikCycle
import AtomikISA
import AtomikProgram

extension Atomik {
    struct GenerateHeader: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gen-header",
            abstract: "Write the Verilog header rtl/\(VerilogHeader.fileName) from the instruction-set table."
        )

        @Option(name: .shortAndLong, help: "Output file ('-' for standard output).")
        var output: String = "rtl/\(VerilogHeader.fileName)"

        static var text: String { VerilogHeader.text(storageKinds: Storage.allCases.map(\.rawValue)) }

        func run() throws {
            if output == "-" {
                try ByteWriter.standardOutput.write(Self.text)
                try ByteWriter.standardOutput.flush()
            } else {
                let file = try AtomicOutput(path: output)
                try file.writer.write(Self.text)
                try file.commit()
            }
        }
    }
}
