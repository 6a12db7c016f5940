/// The tool's version, written into the headers of the files it generates.
public enum ToolVersion {
    public static let string = "atomik-sim 0.1.0"
}
