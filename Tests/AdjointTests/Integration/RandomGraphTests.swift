import AdjointCheck
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Random programs over every primitive and structural op (stack and concatenate of one node,
/// tensor constants, slices, guards, shared subexpressions, several outputs), each checked four
/// ways by `ProgramCheck`: compiled against interpreted on both tiers, forward against reverse
/// mode, against central differences, and every evaluation repeated giving the same bits.
/// A failure prints the program shrunk to the fewest instructions that still fail.
/// `scripts/stress` runs the same checker for as long as asked, with any seed.
@Suite struct RandomGraphTests {
    /// The seed CI runs (scripts/stress defaults to another). At the commit before issue 12's
    /// fixes (b7e132f) these 1200 programs found each of its bugs: 118 failing programs, of which
    /// 3 were the shared workspace slot, 31 the tensor constants libtcc misread, 81 the trace's
    /// address reuse, and 3 a one-element transpose that did not compile (README, "Correctness").
    /// scripts/sanitize runs fewer through ADJOINT_RANDOM_PROGRAMS.
    static let campaign = Campaign(seed: 20_261_201, programs: programCount, optimizedEvery: 100)

    static var programCount: Int {
        getenv("ADJOINT_RANDOM_PROGRAMS").flatMap { Int(String(cString: $0)) }.map { Swift.max($0, 6) } ?? 1200
    }

    /// The campaign in slices, so that the test runner spreads them over the cores.
    @Test(arguments: 0..<6)
    func fixedSeed(slice: Int) {
        let size = Self.campaign.programs / 6
        let report = Self.campaign.run(slice * size ..< (slice + 1) * size, shrinkLimit: 1)
        #expect(report.checked == size)
        #expect(report.failures.isEmpty, "\(report)")
    }

    /// Programs are a function of the seed and their index alone, so a failure repeats.
    @Test func programsRepeat() {
        let a = Self.campaign.check(17), b = Self.campaign.check(17)
        #expect(a.program == b.program && a.seed == b.seed)
        #expect(Self.campaign.check(18).program != a.program)
    }

    /// Every opcode is drawn by CI's 1200 programs, so none goes unchecked.
    @Test func everyOpcodeIsExercised() {
        var seen = Set<RandomProgram.Opcode>()
        for k in 0..<1200 { seen.formUnion(Self.campaign.check(k).program.instructions.map(\.opcode)) }
        #expect(seen == Set(RandomProgram.Opcode.allCases))
    }
}
