/// A whole-number expression over a design's parameters, as a description
/// writes WIDTH and CONTEXTS: `64`, `DATA_WIDTH`, `2**ADDR_WIDTH`,
/// `1 << ADDR_WIDTH`, with `+ - * / % ** << >>` and parentheses.
enum Expression {
    static func evaluate(_ text: String, parameters: [String: String], depth: Int = 0) throws(ExpressionError) -> Int {
        var p = Parser(tokens: try tokenize(text), parameters: parameters, depth: depth)
        let v = try p.expression(0)
        guard p.position == p.tokens.count else { throw ExpressionError("unexpected '\(p.tokens[p.position])' in '\(text)'") }
        return v
    }

    static func tokenize(_ text: String) throws(ExpressionError) -> [String] {
        var tokens: [String] = []
        let chars = Array(text)
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c == " " || c == "\t" { k += 1; continue }
            if c.isLetter || c == "_" || c.isNumber {
                var j = k
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "$") { j += 1 }
                tokens.append(String(chars[k..<j])); k = j; continue
            }
            let two = k + 1 < chars.count ? String(chars[k...k + 1]) : ""
            if ["**", "<<", ">>"].contains(two) { tokens.append(two); k += 2; continue }
            guard "+-*/%()".contains(c) else { throw ExpressionError("unexpected '\(c)' in '\(text)'") }
            tokens.append(String(c)); k += 1
        }
        guard !tokens.isEmpty else { throw ExpressionError("empty expression") }
        return tokens
    }

    struct Parser {
        let tokens: [String]
        let parameters: [String: String]
        var position = 0
        var depth: Int

        init(tokens: [String], parameters: [String: String], depth: Int) {
            self.tokens = tokens; self.parameters = parameters; self.depth = depth
        }

        static let precedence: [String: Int] = ["<<": 1, ">>": 1, "+": 2, "-": 2, "*": 3, "/": 3, "%": 3, "**": 4]

        mutating func expression(_ minimum: Int) throws(ExpressionError) -> Int {
            var left = try unary()
            while position < tokens.count, let prec = Self.precedence[tokens[position]], prec >= minimum {
                let op = tokens[position]
                position += 1
                // ** is right-associative, the others left.
                let right = try expression(op == "**" ? prec : prec + 1)
                left = try Self.apply(op, left, right)
            }
            return left
        }

        mutating func unary() throws(ExpressionError) -> Int {
            guard position < tokens.count else { throw ExpressionError("the expression ends too early") }
            let t = tokens[position]
            position += 1
            if t == "-" { return try 0 - unary() }
            if t == "(" {
                let v = try expression(0)
                guard position < tokens.count, tokens[position] == ")" else { throw ExpressionError("missing ')'") }
                position += 1
                return v
            }
            if let v = Int(t) { return v }
            guard let text = parameters[t] else { throw ExpressionError("'\(t)' is not a parameter of the description") }
            guard depth < 16 else { throw ExpressionError("parameter '\(t)' refers to itself") }
            do { return try Expression.evaluate(text, parameters: parameters, depth: depth + 1) } catch {
                throw ExpressionError("parameter \(t) = '\(text)': \(error.message)")
            }
        }

        static func apply(_ op: String, _ a: Int, _ b: Int) throws(ExpressionError) -> Int {
            func checked(_ r: (Int, Bool)) throws(ExpressionError) -> Int {
                guard !r.1 else { throw ExpressionError("the value overflows") }
                return r.0
            }
            switch op {
            case "+": return try checked(a.addingReportingOverflow(b))
            case "-": return try checked(a.subtractingReportingOverflow(b))
            case "*": return try checked(a.multipliedReportingOverflow(by: b))
            case "/", "%":
                guard b != 0 else { throw ExpressionError("division by zero") }
                return op == "/" ? a / b : a % b
            case "<<", ">>":
                guard (0..<62).contains(b) else { throw ExpressionError("shift by \(b)") }
                return op == "<<" ? try checked(a.multipliedReportingOverflow(by: 1 << b)) : a >> b
            default:
                guard (0..<64).contains(b) else { throw ExpressionError("exponent \(b)") }
                var r = 1
                for _ in 0..<b { r = try checked(r.multipliedReportingOverflow(by: a)) }
                return r
            }
        }
    }
}

struct ExpressionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
