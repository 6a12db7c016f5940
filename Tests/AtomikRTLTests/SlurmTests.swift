import Foundation
import Testing

/// A private one-node Slurm cluster in a temporary directory: munged (started
/// only if none answers), slurmctld and slurmd with a minimal configuration, no
/// systemd. `stop` ends what it started, also after a failure.
final class PrivateSlurm {
    let dir: URL
    let config: String
    var startedMunge = false

    static var installed: Bool {
        ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    var environment: [String: String] { ["SLURM_CONF": config] }

    init(in dir: URL) throws {
        self.dir = dir
        config = dir.appendingPathComponent("slurm.conf").path
        let host = try Self.shell("hostname -s").trimmingCharacters(in: .whitespacesAndNewlines)
        let port = 20_000 + Int(getpid() % 10_000)   // clear of a cluster the machine may run
        for sub in ["state", "spool"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let d = dir.path
        try """
            ClusterName=atomiktest
            SlurmctldHost=\(host)
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            StateSaveLocation=\(d)/state
            SlurmdSpoolDir=\(d)/spool
            SlurmctldPidFile=\(d)/slurmctld.pid
            SlurmdPidFile=\(d)/slurmd.pid
            SlurmctldLogFile=\(d)/slurmctld.log
            SlurmdLogFile=\(d)/slurmd.log
            SlurmctldPort=\(port)
            SlurmdPort=\(port + 1)
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/none
            ReturnToService=2
            NodeName=\(host) CPUs=\(ProcessInfo.processInfo.activeProcessorCount) RealMemory=\(ProcessInfo.processInfo.physicalMemory >> 21) State=UNKNOWN
            PartitionName=atomik Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """.write(toFile: config, atomically: true, encoding: .utf8)
        if (try? Self.shell("munge -n | unmunge")) == nil {
            _ = try Self.shell("mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null; munged --force >/dev/null 2>&1")
            startedMunge = true
            _ = try Self.shell("for i in $(seq 50); do munge -n | unmunge >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1")
        }
        // Daemons: their output goes to files, not to this pipe (it would stay open while they run).
        _ = try Self.shell("slurmctld -f \(config) >\(d)/slurmctld.out 2>&1 && slurmd -f \(config) >\(d)/slurmd.out 2>&1", environment: environment)
        // The node is idle within seconds.
        _ = try Self.shell("for i in $(seq 150); do [ \"$(sinfo -h -o %t 2>/dev/null)\" = idle ] && exit 0; sleep 0.2; done; "
                           + "echo 'the node did not come up:'; sinfo; tail -5 \(d)/slurmctld.log \(d)/slurmd.log; exit 1", environment: environment)
    }

    /// Waits until every one of `jobs` (and every task of an array) has ended (at most `seconds`).
    /// An squeue that fails (a busy controller) or lists nothing proves nothing: it is asked again.
    func wait(for jobs: [String], seconds: Int) throws {
        let ended = "COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|BOOT_FAIL|DEADLINE|PREEMPTED"
        _ = try Self.shell("for i in $(seq \(seconds * 2)); do "
                           + "s=$(squeue -h -t all -o %T -j \(jobs.joined(separator: ",")) 2>/dev/null) && [ -n \"$s\" ] "
                           + "&& ! echo \"$s\" | grep -qvxE '\(ended)' && exit 0; "
                           + "sleep 0.5; done; squeue -t all; exit 1", environment: environment)
    }

    func stop() {
        for name in ["slurmd", "slurmctld"] {
            if let pid = try? String(contentsOfFile: dir.appendingPathComponent("\(name).pid").path, encoding: .utf8),
               let p = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(p, SIGTERM)
                for _ in 0..<50 where kill(p, 0) == 0 { usleep(100_000) }
                if kill(p, 0) == 0 { kill(p, SIGKILL) }
            }
        }
        if startedMunge { _ = try? Self.shell("kill $(cat /run/munge/munged.pid) 2>/dev/null") }
    }

    /// Runs `command` in bash through system(3), which waits for it itself: Foundation's Process
    /// missed the exit of a shell that had started a daemon (munged), and waited for ever.
    @discardableResult
    static func shell(_ command: String, environment: [String: String] = [:]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-slurm-shell-\(UUID())").path
        defer { unlink(output) }
        let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
        let script = exports + command
        let quoted = "'" + script.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let status = system("/bin/bash -c \(quoted) >'\(output)' 2>&1 </dev/null")
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw SlurmTestError("`\(command)` failed (\(status)): \(text)") }
        return text
    }
}

struct SlurmTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// On a real (private, one-node) Slurm cluster: `atomik submit` runs a 4-shard
/// regression and a 4-shard sweep as job arrays with merge jobs after them, and
/// the merged results equal a local run's (the same lines and JUnit test cases;
/// the same report files, byte for byte but the provenance line).
@Suite(.serialized) struct SlurmCluster {
    @Test func submittedJobsMergeIntoALocalRunsResults() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || PrivateSlurm.installed, "Slurm is not installed (apt-get install slurm-wlm munge, or run scripts/setup.sh)")
        try #require(installed(.icarus) && installed(.verilator), "simulators are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-slurm-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try PrivateSlurm(in: dir.appendingPathComponent("cluster"))
        defer { cluster.stop() }
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try smallRegression.write(to: work.appendingPathComponent("small.txt"), atomically: true, encoding: .utf8)
        let sweep = ["explore", "--widths", "8,16", "--contexts", "1,4", "--storages", "ff,sram", "--no-pnr", "--length", "300"]

        // Submitted from the work directory, as a user would: relative paths are the job's.
        let regression = try runAtomik(["submit", "--shards", "4", "--out", "nightly", "--time", "20:00", "--cpus-per-task", "1",
                                        "--", "cosim", "--regress", "small.txt"],
                                       withOutput: true, in: work, environment: cluster.environment)
        #expect(regression.status == 0, "\(regression.text)")
        let sweepRun = try runAtomik(["submit", "--shards", "4", "--out", "sweep", "--cache", "shared-cache", "--mem", "1G", "--"] + sweep,
                                     withOutput: true, in: work, environment: cluster.environment)
        #expect(sweepRun.status == 0, "\(sweepRun.text)")
        let ids = (regression.text + sweepRun.text).matches(of: /job array (\d+) .* merge job (\d+)/).flatMap { [String($0.1), String($0.2)] }
        #expect(ids.count == 4, "\(regression.text)\(sweepRun.text)")
        try cluster.wait(for: ids, seconds: 600)
        // What the jobs said, shown if their results are not there.
        func logs(_ job: String) -> String {
            let dir = work.appendingPathComponent("\(job)/logs").path
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map {
                "\($0):\n" + ((try? String(contentsOfFile: dir + "/" + $0, encoding: .utf8)) ?? "")
            }.joined(separator: "\n") + (try! PrivateSlurm.shell("squeue -t all", environment: cluster.environment))
        }
        try #require(FileManager.default.fileExists(atPath: work.appendingPathComponent("nightly/merge.txt").path), "\(logs("nightly"))")
        try #require(FileManager.default.fileExists(atPath: work.appendingPathComponent("sweep/report").path), "\(logs("sweep"))")

        // The regression: what a local run prints, and its JUnit test cases.
        let local = try runAtomik(["cosim", "--regress", "small.txt", "--junit", "local.xml"], withOutput: true, in: work)
        let merged = try String(contentsOf: work.appendingPathComponent("nightly/merge.txt"), encoding: .utf8)
        #expect(merged.hasPrefix("regression small.txt: 5 entries, merged from 4 shards\n"), "\(merged)")
        #expect(untimed(merged) == untimed(local.text))
        #expect(try junitCases(work.appendingPathComponent("nightly/junit.xml").path) == junitCases(work.appendingPathComponent("local.xml").path))
        // The sweep: the report a local run writes, from tasks that shared a fresh cache.
        #expect(try runAtomik(sweep + ["--out", "local-sweep"], in: work).status == 0)
        try expectSameReports(work.appendingPathComponent("local-sweep").path, work.appendingPathComponent("sweep/report").path)
        let cached = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("shared-cache/explore").path)
        #expect(cached.filter { $0.hasSuffix(".json") }.count == 8, "each point once in the shared cache: \(cached)")
        #expect(!cached.contains { $0.hasSuffix(".tmp") }, "no temporary entry left: \(cached)")
    }
}
