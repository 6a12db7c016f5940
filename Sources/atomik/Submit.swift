import ArgumentParser
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

extension Atomik {
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a regression, a mutation check or a sweep on a Slurm cluster: a job array of shards and a merge job after it.",
            discussion: """
            Writes DIR/slurm/shards.sh and DIR/slurm/merge.sh and submits them with sbatch: task I of \
            the array runs `atomik COMMAND ... --shard I/N --out DIR/shards/I`, and the merge job, \
            which starts when every task has ended well (--dependency=afterok), runs `atomik merge` \
            into DIR/junit.xml and DIR/merge.txt (a regression or mutation check) or DIR/report (a \
            sweep). A task that finds a difference (exit 1) has still ended well: its results are in \
            its shard. DIR must be on a filesystem every node sees; so must --cache, which the tasks \
            share for Verilator builds and exploration results. Give the command after `--`, e.g. \
            `atomik submit --shards 8 --out /shared/nightly -- cosim --regress regress/ci.txt`.
            """
        )

        @Option(parsing: .unconditional, help: "Shards: tasks of the job array.", transform: Checked.integer(1...10_000))
        var shards: Int

        @Option(help: "The job's directory (shards, logs, the merged report), on a filesystem every node sees.")
        var out: String

        @Option(help: "Slurm partition (sbatch --partition).") var partition: String?
        @Option(help: "Time limit of each task (sbatch --time, e.g. 30:00).") var time: String?
        @Option(help: "Memory of each task (sbatch --mem, e.g. 4G).") var mem: String?
        @Option(parsing: .unconditional, help: "CPUs of each task (sbatch --cpus-per-task); the task's --jobs.",
                transform: Checked.integer(1...1024))
        var cpusPerTask: Int?
        @Option(help: "A cache directory the tasks share (Verilator builds, exploration results), exported as ATOMIK_CACHE_DIR.")
        var cache: String?
        @Option(help: ArgumentHelp("Any other sbatch option, for both jobs (repeatable).", valueName: "OPTION"))
        var sbatchOption: [String] = []

        @Argument(parsing: .postTerminator, help: "The command: cosim --regress FILE | cosim --mutate | explore ..., with its options.")
        var command: [String] = []

        func validate() throws {
            guard let first = command.first else { throw ValidationError("give the command to run after --, e.g. -- cosim --regress regress/ci.txt") }
            guard first == "cosim" || first == "explore" else {
                throw ValidationError("submit runs cosim --regress, cosim --mutate or explore, not '\(first)'")
            }
            if first == "cosim" && !command.contains("--regress") && !command.contains("--mutate") {
                throw ValidationError("cosim on a cluster runs a regression: give --regress FILE or --mutate")
            }
            for owned in ["--shard", "--out", "--junit", "--jobs"] where command.contains(owned) {
                throw ValidationError("\(owned) is set by submit for each task (the report goes to --out \(out))")
            }
        }

        func run() throws {
            let sbatch = try Self.sbatchPath()   // before anything is written
            let cwd = FileManager.default.currentDirectoryPath
            let dir = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: cwd + "/")).standardizedFileURL.path
            let slurm = dir + "/slurm"
            try FileManager.default.createDirectory(atPath: slurm, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
            let tool = RTLSimulator.executable
            let cacheDir = cache.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: cwd + "/")).standardizedFileURL.path }
            var options = ["--chdir=\(cwd)"]
            if let partition { options.append("--partition=\(partition)") }
            if let time { options.append("--time=\(time)") }
            if let mem { options.append("--mem=\(mem)") }
            if let cpusPerTask { options.append("--cpus-per-task=\(cpusPerTask)") }
            options += sbatchOption
            func script(_ name: String, _ header: [String], _ body: [String]) throws -> String {
                let path = "\(slurm)/\(name)"
                let text = (["#!/bin/bash"] + (header + options).map { "#SBATCH \($0)" } + ["set -u"]
                            + (cacheDir.map { ["export ATOMIK_CACHE_DIR=\(ShellWords.quote($0))"] } ?? []) + body).joined(separator: "\n") + "\n"
                let file = try AtomicOutput(path: path)
                try file.writer.write(text)
                try file.commit()
                chmod(path, 0o755)
                return path
            }
            let taskCommand = [tool] + command + ["--jobs", "\(cpusPerTask ?? 1)", "--shard", "${SLURM_ARRAY_TASK_ID}/\(shards)",
                                                  "--out", "\(dir)/shards/${SLURM_ARRAY_TASK_ID}"]
            let shardsScript = try script("shards.sh", ["--job-name=atomik-\(command[0])", "--array=1-\(shards)",
                                                        "--output=\(dir)/logs/shard-%a.out"], [
                "# Exit 1 is a difference found: the task ran, and its results are in its shard.",
                taskCommand.map(Self.quotedKeepingTaskID).joined(separator: " "),
                "status=$?",
                "[ $status -le 1 ] || exit $status",
            ])
            let sweep = command[0] == "explore"
            let mergeCommand = [tool, "merge", "\(dir)/shards"] + (sweep ? ["--out", "\(dir)/report"] : ["--junit", "\(dir)/junit.xml"])
            let mergeScript = try script("merge.sh", ["--job-name=atomik-merge", "--output=\(dir)/logs/merge.out"], [
                ShellWords.join(mergeCommand) + " > \(ShellWords.quote(dir + "/merge.txt"))",
            ])
            let array = try Self.submit(sbatch, ["--parsable", shardsScript])
            let merge = try Self.submit(sbatch, ["--parsable", "--dependency=afterok:\(array)", "--kill-on-invalid-dep=yes", mergeScript])
            let jobs = "array=\(array)\nmerge=\(merge)\n"
            try jobs.write(toFile: "\(slurm)/jobs.txt", atomically: true, encoding: .utf8)
            print("submitted job array \(array) (\(shards) shards: \(dir)/shards/I, logs in \(dir)/logs) "
                  + "and merge job \(merge) (after every shard)")
            print(sweep ? "the report will be in \(dir)/report, the merge's output in \(dir)/merge.txt"
                        : "the results will be in \(dir)/merge.txt and \(dir)/junit.xml")
        }

        /// sbatch, or an error saying what to install.
        static func sbatchPath() throws -> String {
            guard RTLSimulator.onPath("sbatch") else {
                throw ProgramError("sbatch is not installed: submit needs Slurm's client (apt-get install slurm-client, or slurm-wlm)")
            }
            return "sbatch"
        }

        /// Runs sbatch --parsable; returns the job id it printed (`ID` or `ID;CLUSTER`, its last line).
        static func submit(_ sbatch: String, _ arguments: [String]) throws -> String {
            // sbatch passes its environment to the jobs: they get the user's TMPDIR, not this
            // process's scratch directory (removed when it exits, and swept by other runs then).
            let r = try ToolProcess.run([sbatch] + arguments, in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                        environment: ["TMPDIR": ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"],
                                        timeout: .seconds(120))
            try r.check("sbatch \(arguments.joined(separator: " "))")
            guard let id = r.output.split(separator: "\n").last.map({ String($0.split(separator: ";")[0]) }),
                  !id.isEmpty, id.allSatisfy(\.isNumber) else {
                throw ProgramError("sbatch \(arguments.joined(separator: " ")) printed no job id: \(r.output)")
            }
            return id
        }

        /// A word for bash, with ${SLURM_ARRAY_TASK_ID} left for bash to expand.
        static func quotedKeepingTaskID(_ word: String) -> String {
            word.components(separatedBy: "${SLURM_ARRAY_TASK_ID}").map { $0.isEmpty ? "" : ShellWords.quote($0) }
                .joined(separator: "\"${SLURM_ARRAY_TASK_ID}\"")
        }
    }
}
