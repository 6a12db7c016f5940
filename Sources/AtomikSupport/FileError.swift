import Foundation

/// Foundation's file errors as a person reads them: the path and the
/// system's reason (`cannot use 'out/x': Not a directory`), not
/// `NSCocoaErrorDomain Code=512`.
public enum FileError {
    public static func describe(_ error: any Error) -> String {
        guard let e = error as? CocoaError else { return "\(error)" }
        let path = e.filePath ?? e.url?.path
        let underlying = (e.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError }
        let reason = underlying.map { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : $0.localizedDescription }
            ?? (e.code == .fileWriteFileExists ? "a file of that name is in the way" : "error \(e.code.rawValue)")
        return path.map { "cannot use '\($0)': \(reason)" } ?? reason
    }
}
