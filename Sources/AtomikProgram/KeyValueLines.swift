/// Data files of `key=value` words, one record a line, `#` comments: the
/// regression lists and the sweep-point files. Errors name line and column.
public struct KeyValueLine {
    public let file: String
    public let number: Int
    let raw: Substring
    /// Each key's value and the whole `key=value` word it came in.
    public let values: [String: (value: Substring, word: Substring)]

    /// An error at `word` (or the start of the line).
    public func error(_ message: String, at word: Substring? = nil) -> ProgramError {
        let column = word.map { raw.distance(from: raw.startIndex, to: $0.startIndex) + 1 } ?? 1
        return ProgramError(message, at: SourceLocation(file: file, line: number, column: column))
    }

    /// The decimal value of `key`, or `fallback` when absent (an error when both are missing).
    public func int(_ key: String, default fallback: Int? = nil) throws(ProgramError) -> Int {
        guard let (v, word) = values[key] else {
            guard let fallback else { throw error("missing \(key)=") }
            return fallback
        }
        guard let i = Int(v) else { throw error("\(key): expected a decimal number, found '\(v)'", at: word) }
        return i
    }
}

public enum KeyValueLines {
    /// The non-blank lines of `text`; a word that is not `key=value` with one of `keys`, a key given
    /// twice on a line, a line that repeats an earlier one and a file with no lines are errors.
    public static func parse(_ text: String, file: String, keys: [String]) throws(ProgramError) -> [KeyValueLine] {
        var lines: [KeyValueLine] = []
        var seen: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard !content.allSatisfy(\.isWhitespace) else { continue }
            var values: [String: (value: Substring, word: Substring)] = [:]
            for word in content.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let kv = word.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, keys.contains(String(kv[0])) else {
                    let column = raw.distance(from: raw.startIndex, to: word.startIndex) + 1
                    throw ProgramError("expected key=value with key \(keys.joined(separator: ", ")); found '\(word)'",
                                       at: SourceLocation(file: file, line: n + 1, column: column))
                }
                if values[String(kv[0])] != nil {
                    let column = raw.distance(from: raw.startIndex, to: word.startIndex) + 1
                    throw ProgramError("\(kv[0])= is given twice on this line", at: SourceLocation(file: file, line: n + 1, column: column))
                }
                values[String(kv[0])] = (kv[1], word)
            }
            let record = values.map { "\($0.key)=\($0.value.value)" }.sorted().joined(separator: " ")
            if let earlier = seen[record] {
                throw ProgramError("this line repeats line \(earlier) (an entry once is enough; its results would share a name)",
                                   at: SourceLocation(file: file, line: n + 1, column: 1))
            }
            seen[record] = n + 1
            lines.append(KeyValueLine(file: file, number: n + 1, raw: raw, values: values))
        }
        guard !lines.isEmpty else {
            throw ProgramError("no entries: every line is blank or a comment", at: SourceLocation(file: file, line: 1, column: 1))
        }
        return lines
    }
}
