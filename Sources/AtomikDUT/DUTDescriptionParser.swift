import AtomikProgram
import Foundation
import Yams

/// Reads a DUT description (YAML). Every error names file, line and column.
///
/// Paths in the description are relative to `base` (the description file's
/// directory, or `--rtl-dir` for a preset). `parameters` and `defines`
/// override or add to the description's own, so one file serves a sweep.
public struct DUTDescriptionParser {
    public var file: String
    public var base: String
    public var parameterOverrides: [(name: String, value: String)] = []
    public var defineOverrides: [(name: String, value: String?)] = []
    /// Whether RTL files must exist (the fuzzer parses without touching the disk).
    public var checkFiles = true

    public init(file: String, base: String) {
        self.file = file; self.base = base
    }

    /// Reads the description in the file `path` (paths in it relative to its directory).
    public static func load(path: String, parameters: [(name: String, value: String)] = [],
                            defines: [(name: String, value: String?)] = []) throws(ProgramError) -> DUTDescription {
        let text = try TextFile.read(path)
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        var parser = DUTDescriptionParser(file: path, base: absolute.deletingLastPathComponent().path)
        parser.parameterOverrides = parameters
        parser.defineOverrides = defines
        var d = try parser.parse(text)
        d.origin = absolute.path
        return d
    }

    public func parse(_ text: String) throws(ProgramError) -> DUTDescription {
        do { return try parseAny(text) } catch let e as ProgramError { throw e } catch {
            throw ProgramError("\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    func parseAny(_ text: String) throws -> DUTDescription {
        // libyaml nests without a limit and Yams composes recursively: a hand-written
        // description never nests deeply, so refuse before a deep one exhausts the stack.
        var depth = 0, line = 1
        for c in text.utf8 {
            if c == UInt8(ascii: "\n") { line += 1 }
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
            if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth -= 1 }
            if depth > 32 { throw ProgramError("brackets nested more than 32 deep", at: SourceLocation(file: file, line: line, column: 1)) }
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw error("the description is empty", at: nil) }
            root = node
        } catch let e as ProgramError {
            throw e
        } catch let e as YamlError {
            throw yamlError(e)
        } catch {
            throw ProgramError("\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        let top = try mapping(root, "the description", keys: [
            "name", "rtl", "parameters", "width", "contexts", "clock", "reset", "operation", "acceptance", "result", "timeout",
        ])

        // RTL sources.
        let rtl = try mapping(try top.require("rtl"), "rtl", keys: ["files", "file_list", "include_dirs", "defines", "top"])
        var files: [String] = []
        if let list = rtl["files"] { files += try strings(list, "rtl.files").flatMap { try expand($0) } }
        if let list = rtl["file_list"] { files += try fileList(list) }
        guard !files.isEmpty else { throw error("rtl: expected 'files' or 'file_list' naming at least one RTL file", at: rtl.node) }
        let includes = try rtl["include_dirs"].map { try strings($0, "rtl.include_dirs").map { path($0.value) } } ?? []
        var defines: [DUTDescription.Define] = []
        if let node = rtl["defines"] {
            switch node {
            case .sequence:
                for s in try strings(node, "rtl.defines") { defines.append(.init(name: try identifier(s), value: nil)) }
            default:
                let m = try mapping(node, "rtl.defines", keys: nil)
                for (k, v) in m.pairs { defines.append(.init(name: try identifier(k), value: try scalar(v, "define \(k.value)"))) }
            }
        }
        for o in defineOverrides {
            defines.removeAll { $0.name == o.name }
            defines.append(.init(name: o.name, value: o.value))
        }
        let topModule = try identifier(try string(try rtl.require("top"), "rtl.top"))

        // Parameters, overridden from the command line.
        var parameters: [DUTDescription.Parameter] = []
        if let node = top["parameters"] {
            for (k, v) in try mapping(node, "parameters", keys: nil).pairs {
                parameters.append(.init(name: try identifier(k), value: try scalar(v, "parameter \(k.value)")))
            }
        }
        for o in parameterOverrides {
            if let k = parameters.firstIndex(where: { $0.name == o.name }) { parameters[k].value = o.value }
            else { parameters.append(.init(name: o.name, value: o.value)) }
        }
        let values = Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        func evaluate(_ key: String) throws -> Int {
            let node = try top.require(key)
            let text = try scalar(node, key)
            do { return try Expression.evaluate(text, parameters: values) } catch {
                throw self.error("\(key): \(error.message)", at: node)
            }
        }
        let width = try evaluate("width"), contexts = try evaluate("contexts")
        guard DUTDescription.widthRange.contains(width) else {
            throw error("width = \(width) is outside 1...512", at: top["width"])
        }
        guard DUTDescription.contextsRange.contains(contexts) else {
            throw error("contexts = \(contexts) is outside 1...65536", at: top["contexts"])
        }

        let clock = try identifier(try string(try top.require("clock"), "clock"))

        // Reset.
        let r = try mapping(try top.require("reset"), "reset", keys: ["port", "active", "kind", "cycles"])
        let active = try choice(r["active"], "reset.active", ["low", "high"], default: "low")
        let kind = try choice(r["kind"], "reset.kind", ["async", "sync"], default: "async")
        let reset = ResetInterface(port: try identifier(try string(try r.require("port"), "reset.port")),
                                   activeLow: active == "low", asynchronous: kind == "async",
                                   cycles: try int(r["cycles"], "reset.cycles", default: 1, range: 1...1_000_000))

        // Operations.
        let o = try mapping(try top.require("operation"), "operation",
                            keys: ["valid", "idle", "opcode", "opcode_bits", "address", "data", "keep", "keep_value", "encoding"])
        let enc = try mapping(try o.require("encoding"), "operation.encoding", keys: OperationKind.allCases.map(\.rawValue))
        var encoding: [OperationKind: Int] = [:]
        for (k, v) in enc.pairs { encoding[OperationKind(rawValue: k.value)!] = try int(v, "operation.encoding.\(k.value)", range: 0...(1 << 16)) }
        guard !encoding.isEmpty else { throw error("operation.encoding: expected at least one of load, accum, read, swap, swap-keep", at: enc.node) }
        let idle = try o["idle"].map { try int($0, "operation.idle", range: 0...(1 << 16)) }
        let valid = try o["valid"].map { try identifier(try string($0, "operation.valid")) }
        guard (valid == nil) != (idle == nil) else {
            throw error("operation: give either 'valid' (a port) or 'idle' (the opcode of an idle cycle)", at: o.node)
        }
        let used = Array(encoding.values) + (idle.map { [$0] } ?? [])
        let needed = max(1, Int.bitWidth - (used.max() ?? 0).leadingZeroBitCount)
        let opcodeBits = try int(o["opcode_bits"], "operation.opcode_bits", default: max(2, needed), range: 1...16)
        guard needed <= opcodeBits else {
            throw error("operation.opcode_bits = \(opcodeBits) cannot hold opcode \(used.max()!)", at: o["opcode_bits"])
        }
        let keep = try o["keep"].map { try identifier(try string($0, "operation.keep")) }
        let keepValue = try int(o["keep_value"], "operation.keep_value", default: 1, range: 0...1)
        // Opcodes must tell the operations apart: only the two SWAPs may share one, through the keep port.
        for a in OperationKind.allCases {
            for b in OperationKind.allCases where a.rawValue < b.rawValue {
                guard let x = encoding[a], let y = encoding[b], x == y else { continue }
                guard Set([a, b]) == [.swap, .swapKeep], keep != nil else {
                    throw error("operation.encoding: \(a.rawValue) and \(b.rawValue) share opcode \(x)"
                                + (Set([a, b]) == [.swap, .swapKeep] ? " and no 'keep' port tells them apart" : ""), at: enc.node)
                }
            }
            if let x = encoding[a], x == idle {
                throw error("operation.encoding: \(a.rawValue) has the idle opcode \(x)", at: enc.node)
            }
        }
        let address = try o["address"].map { try identifier(try string($0, "operation.address")) }
        guard contexts == 1 || address != nil else {
            throw error("operation: \(contexts) contexts need an 'address' port", at: o.node)
        }
        let operation = OperationInterface(
            valid: valid, idle: idle, opcode: try identifier(try string(try o.require("opcode"), "operation.opcode")),
            opcodeBits: opcodeBits, address: address,
            data: try identifier(try string(try o.require("data"), "operation.data")),
            keep: keep, keepValue: keepValue, encoding: encoding)

        // Acceptance.
        let acceptance: Acceptance
        let a = try top.require("acceptance")
        if case .scalar = a {
            switch try choice(a, "acceptance", ["every-cycle", "one-at-a-time", "ready"], default: "") {
            case "every-cycle": acceptance = .everyCycle
            case "one-at-a-time": acceptance = .oneAtATime(ready: nil)
            default: throw error("acceptance: 'ready' needs the port: {mode: ready, ready: PORT}", at: a)
            }
        } else {
            let m = try mapping(a, "acceptance", keys: ["mode", "ready"])
            let ready = try m["ready"].map { try identifier(try string($0, "acceptance.ready")) }
            switch try choice(try m.require("mode"), "acceptance.mode", ["every-cycle", "one-at-a-time", "ready"], default: "") {
            case "every-cycle":
                guard ready == nil else { throw error("acceptance: every-cycle takes no ready port", at: m["ready"]) }
                acceptance = .everyCycle
            case "one-at-a-time": acceptance = .oneAtATime(ready: ready)
            default:
                guard let ready else { throw error("acceptance: mode ready needs 'ready: PORT'", at: m.node) }
                acceptance = .ready(ready)
            }
        }

        // Results.
        let res = try mapping(try top.require("result"), "result", keys: ["valid", "latency", "data", "beats"])
        let resultValid = try res["valid"].map { try identifier(try string($0, "result.valid")) }
        let latency = try res["latency"].map { try int($0, "result.latency", range: 1...1024) }
        guard (resultValid == nil) != (latency == nil) else {
            throw error("result: give either 'valid' (a port) or 'latency' (cycles from acceptance to the result)", at: res.node)
        }
        var beats: Set<OperationKind> = []
        if let node = res["beats"] {
            for s in try strings(node, "result.beats") {
                let kinds: [OperationKind] = s.value == "swap" ? [.swap, .swapKeep] : OperationKind(rawValue: s.value).map { [$0] } ?? []
                guard !kinds.isEmpty else {
                    throw error("result.beats: expected load, accum, read or swap, found '\(s.value)'", at: s.node)
                }
                beats.formUnion(kinds)
            }
        } else {
            beats = [.read, .swap, .swapKeep]
        }
        beats.formIntersection(operation.supported)
        for k in OperationKind.allCases where operation.supported.contains(k) && k.returnsValue && !beats.contains(k) {
            throw error("result.beats: \(k.rawValue) returns a value, so it must give a result beat", at: res["beats"] ?? res.node)
        }
        let result = ResultInterface(valid: resultValid, latency: latency,
                                     data: try identifier(try string(try res.require("data"), "result.data")), beats: beats)

        return DUTDescription(
            origin: file, name: try top["name"].map { try string($0, "name").value } ?? topModule,
            files: files, includeDirectories: includes, defines: defines, top: topModule, parameters: parameters,
            clock: clock, reset: reset, operation: operation, acceptance: acceptance, result: result,
            width: width, contexts: contexts, timeout: try int(top["timeout"], "timeout", default: 1000, range: 1...10_000_000))
    }

    // MARK: - Nodes

    /// A scalar with the node it came from.
    struct Text {
        var value: String
        var node: Node
    }

    /// A mapping whose keys were checked: no duplicates, only `keys` when given.
    struct Mapping {
        var node: Node
        var pairs: [(Text, Node)]
        let parser: DUTDescriptionParser
        let name: String

        subscript(key: String) -> Node? { pairs.first { $0.0.value == key }?.1 }

        func require(_ key: String) throws -> Node {
            guard let n = self[key] else { throw parser.error("\(name): missing '\(key)'", at: node) }
            return n
        }
    }

    func mapping(_ node: Node, _ name: String, keys: [String]?) throws -> Mapping {
        guard case .mapping(let m) = node else { throw error("\(name): expected a mapping of keys to values", at: node) }
        var pairs: [(Text, Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw error("\(name): keys must be plain words", at: k) }
            if let keys, !keys.contains(s.string) {
                throw error("\(name): unknown key '\(s.string)'; expected one of \(keys.joined(separator: ", "))", at: k)
            }
            if pairs.contains(where: { $0.0.value == s.string }) { throw error("\(name): '\(s.string)' given twice", at: k) }
            pairs.append((Text(value: s.string, node: k), v))
        }
        return Mapping(node: node, pairs: pairs, parser: self, name: name)
    }

    func scalar(_ node: Node, _ name: String) throws -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error("\(name): expected a value", at: node) }
        return s.string
    }

    func string(_ node: Node, _ name: String) throws -> Text {
        Text(value: try scalar(node, name), node: node)
    }

    func strings(_ node: Node, _ name: String) throws -> [Text] {
        switch node {
        case .scalar: return [try string(node, name)]
        case .sequence(let s): return try s.map { (n: Node) throws -> Text in try string(n, name) }
        default: throw error("\(name): expected a list of values", at: node)
        }
    }

    func int(_ node: Node?, _ name: String, default fallback: Int? = nil, range: ClosedRange<Int>) throws -> Int {
        guard let node else {
            guard let fallback else { throw error("missing \(name)", at: nil) }
            return fallback
        }
        let text = try scalar(node, name)
        let value = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : text.hasPrefix("0b") ? Int(text.dropFirst(2), radix: 2) : Int(text)
        guard let value, range.contains(value) else {
            throw error("\(name): expected a whole number in \(range.lowerBound)...\(range.upperBound), found '\(text)'", at: node)
        }
        return value
    }

    func choice(_ node: Node?, _ name: String, _ options: [String], default fallback: String) throws -> String {
        guard let node else { return fallback }
        let text = try scalar(node, name)
        guard options.contains(text) else {
            throw error("\(name): expected \(options.joined(separator: " or ")), found '\(text)'", at: node)
        }
        return text
    }

    /// A Verilog identifier: the generated wrapper uses it as written.
    func identifier(_ t: Text) throws -> String {
        guard Self.isIdentifier(t.value) else {
            throw error("'\(t.value)' is not a Verilog identifier (letters, digits, _ and $, not starting with a digit)", at: t.node)
        }
        return t.value
    }

    public static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$") }
    }

    // MARK: - Files

    func path(_ p: String) -> String {
        URL(fileURLWithPath: p, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
    }

    /// A file name, or a `*` pattern in its last component (`rtl/*.v`), as absolute paths in name order.
    func expand(_ t: Text) throws -> [String] {
        let full = path(t.value)
        guard full.contains("*") else {
            if checkFiles && !FileManager.default.fileExists(atPath: full) {
                throw error("no RTL file '\(t.value)' (looked for \(full))", at: t.node)
            }
            return [full]
        }
        let url = URL(fileURLWithPath: full)
        let dir = url.deletingLastPathComponent().path, pattern = url.lastPathComponent
        guard !dir.contains("*") else { throw error("'*' is allowed in the file name only, not in directories", at: t.node) }
        guard checkFiles else { return [full] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { Self.matches($0, pattern) }.sorted()
        guard !names.isEmpty else { throw error("no RTL file matches '\(t.value)' in \(dir)", at: t.node) }
        return names.map { dir + "/" + $0 }
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(name)
        for (k, part) in parts.enumerated() {
            if k == 0 { guard rest.hasPrefix(part) else { return false }; rest = rest.dropFirst(part.count); continue }
            if k == parts.count - 1 { return rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.isEmpty
    }

    /// The files of a file list: one path a line, relative to the list's directory, `#` and `//` comments.
    func fileList(_ node: Node) throws -> [String] {
        let t = try string(node, "rtl.file_list")
        let list = path(t.value)
        guard checkFiles else { return [list] }
        guard FileManager.default.isReadableFile(atPath: list) else {
            throw error("cannot read the file list '\(t.value)' (looked for \(list))", at: node)
        }
        let text = try TextFile.read(list)
        let dir = URL(fileURLWithPath: list).deletingLastPathComponent().path
        var files: [String] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .components(separatedBy: "//")[0].trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let f = URL(fileURLWithPath: line, relativeTo: URL(fileURLWithPath: dir, isDirectory: true)).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: f) else {
                throw ProgramError("no RTL file '\(line)' (looked for \(f))", at: SourceLocation(file: list, line: k + 1, column: 1))
            }
            files.append(f)
        }
        return files
    }

    // MARK: - Errors

    func error(_ message: String, at node: Node?) -> ProgramError {
        let mark = node?.mark
        return ProgramError(message, at: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1))
    }

    func yamlError(_ e: YamlError) -> ProgramError {
        switch e {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ProgramError("not valid YAML: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case let .reader(problem, _, _, _):
            return ProgramError("not readable as YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return ProgramError("not valid YAML: \(e)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
