/// Words of a command line printed for a POSIX shell (replay commands, job
/// scripts): a word made only of characters the shell takes literally stays
/// as it is, any other goes in single quotes, so a path with a space or a
/// quote pastes back as one word.
public enum ShellWords {
    /// One word, quoted when it needs to be.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.unicodeScalars.allSatisfy({ literal.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A command line of words, each quoted when it needs to be.
    public static func join(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }

    /// `NAME=value` before a command: the value is quoted, not the name (a quoted name is no assignment).
    public static func assignment(_ name: String, _ value: String) -> String { name + "=" + quote(value) }

    private static let literal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-".unicodeScalars)
}
