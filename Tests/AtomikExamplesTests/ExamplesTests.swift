import AtomikCore
import Testing
import AtomikExamples

@Suite struct DistributedCacheTests {
    let result: DistributedCache

    init() throws { result = try DistributedCache.run() }

    @Test func aWriteConvergesOnAllThreeNodes() {
        #expect(result.names == ["A", "B", "C"])
        #expect(result.readsAfterPut == [0xDEAD_BEEF, 0xDEAD_BEEF, 0xDEAD_BEEF])
    }

    @Test func deltaIsTheXorNotTheArticlesFigure() {
        #expect(result.delta == 0x1453_0451)
        #expect(result.delta != DistributedCache.articleDelta)
        #expect(result.report.contains { $0.contains("0x14531455 is wrong") && $0.contains("0x14530451") })
    }

    @Test func putTravelsAsSixteenBigEndianBytes() {
        #expect(result.wire == [0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0x53, 0x04, 0x51, 0, 0, 0, 1])
    }

    @Test func concurrentWritesToDifferentKeys() {
        #expect(result.key1Reads == [0xB1B1_B1B1, 0xB1B1_B1B1, 0xB1B1_B1B1])
        #expect(result.key2Reads == [0xC2C2_C2C2, 0xC2C2_C2C2, 0xC2C2_C2C2])
    }

    @Test func concurrentWritesToOneKeyComposeByXor() {
        #expect(result.composedExpected == 0xDEAD_BEEF ^ 0x1111_1111 ^ 0x2222_2222)
        #expect(result.composedExpected == 0xED9E_8DDC)
        #expect(result.composedReads == [0xED9E_8DDC, 0xED9E_8DDC, 0xED9E_8DDC])
    }

    @Test func swapStartsAnEpoch() {
        #expect(result.swapped == [0xED9E_8DDC, 0xED9E_8DDC, 0xED9E_8DDC])
        #expect(result.readsAfterSwap == [0x0BAD_F00D, 0x0BAD_F00D, 0x0BAD_F00D])
        #expect(result.sentEpoch > 0)
        #expect(result.decodedEpoch == 0)
    }

    @Test func trafficAndOutcome() {
        // 6 puts, each to 2 peers, 16 bytes a message.
        #expect(result.messagesSent == 12)
        #expect(result.bytesSent == 192)
        #expect(result.holds)
    }

    @Test func swapFoldsTheAccumulatorIntoTheReference() throws {
        var node = try CacheNode(name: "N")
        node.seed(7, 0xF0)
        try node.receive(DeltaMessage(addr: 7, delta: 0x0F, seq: 1).bytes)
        #expect(node.swap(7) == 0xFF)
        #expect(node.get(7) == 0xFF)
        #expect(node.received == 1)
        #expect(throws: AtomikError.messageLength(15)) { try node.receive([UInt8](repeating: 0, count: 15)) }
    }
}

@Suite struct FanInTests {
    @Test func fourThreadsGiveAllOnes() throws {
        let r = try FanIn.run()
        #expect(r.deltas == [0xFF, 0xFF00, 0xFF_0000, 0xFF00_0000])
        #expect(r.atomicResult == 0xFFFF_FFFF)
        #expect(r.mergedResult == 0xFFFF_FFFF)
        #expect(r.mergedDeltaCount == 4)
        #expect(r.holds)
    }

    @Test func contendedRepetitionsStayDeterministic() throws {
        let odd = try FanIn.run(workers: 4, repetitions: 20_001)
        #expect(odd.atomicResult == 0xFFFF_FFFF)
        #expect(odd.mergedResult == 0xFFFF_FFFF)
        #expect(odd.mergedDeltaCount == 80_004)
        let even = try FanIn.run(workers: 8, repetitions: 20_000)
        #expect(even.atomicResult == 0)
        #expect(even.mergedResult == 0)
        #expect(even.holds)
    }
}

@Test func epochCheckpointing() throws {
    let r = try EpochCheckpointing.run()
    #expect(r.checkpoints == [0x1003, 0x1007, 0x1017, 0x1017])
    #expect(r.expected == r.checkpoints)
    #expect(r.referencesAfterSwap == [0x1003, 0x1007, 0x1017, 0x1017])
    #expect(r.accumulatorsAfterSwap == [0, 0, 0, 0])
    #expect(r.deltaCounts == [2, 1, 3, 0])
    #expect(r.holds)
}

@Test func fingerprintGate() throws {
    let r = try FingerprintGate.run()
    #expect(FingerprintGate.readings.count == 7)
    #expect(r.reference == 0x0F0E_0D0C_0B0A_0908 ^ 0x0706_0504_0302_0100)
    #expect(r.transmitted == [1, 5])
    #expect(r.skipped == 5)
    #expect(r.missed == [3, 4])
    #expect(r.fingerprints[3] == r.fingerprints[1])
    #expect(r.fingerprints[4] == r.fingerprints[1])
    #expect(r.fingerprints[1] == 0x0808_0808_F408_0808)
    #expect(r.fingerprints[5] == 0x38F8_2858_D828_6838)
    #expect(r.holds)
}

@Test func rollbackChain() throws {
    let r = try RollbackChain.run()
    #expect(r.statesAfterEdits == [0x1234_0001, 0x1234_0011, 0x1234_0111])
    #expect(r.statesAfterUndos == [0x1234_0011, 0x1234_0001])
    #expect(r.finalState == RollbackChain.documentState ^ 0x0001)
    #expect(r.remainingStack == [0x0001])
    #expect(r.deltaCount == 5)
    #expect(r.holds)
}

@Test func multiStreamConvergence() throws {
    let r = try MultiStreamConvergence.run()
    #expect(r.pairReads == [0xCA01, 0xCA01])
    #expect(r.expected == [0x3501, 0x0011, 0x00AB])
    #expect(r.finalStates == [[0x3501, 0x0011, 0x00AB], [0x3501, 0x0011, 0x00AB], [0x3501, 0x0011, 0x00AB]])
    #expect(r.delivered == [[5, 4, 3, 2], [0, 5, 1, 4], [1, 0, 2, 3]])
    #expect(r.wires.allSatisfy { $0.count == 16 })
    #expect(r.sent.map(\.seq) == [1, 2, 1, 2, 1, 2])
    #expect(r.wires[2] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0, 0, 0, 0, 1])
    #expect(r.wireRoundTrips)
    #expect(r.duplicateRead == 0x3501 ^ 0x00FF)
    #expect(r.holds)
}

@Test func registryListsEveryExampleAndEachHolds() {
    #expect(Examples.names == ["distributed-cache", "fan-in", "epoch-checkpointing",
                               "fingerprint-gate", "rollback-chain", "multi-stream-convergence"])
    #expect(Examples.named("no-such-example") == nil)
    for entry in Examples.all {
        #expect(!entry.summary.isEmpty)
        let outcome = entry.run()
        #expect(outcome.holds, "\(entry.name)")
        #expect(!outcome.report.isEmpty)
    }
}
