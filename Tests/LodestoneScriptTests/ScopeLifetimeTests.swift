import LodestoneKernel
import Testing

@testable import LodestoneScript

/// A function refers to the scope it was made in, so a local function stored in that scope closes
/// a reference cycle. These tests watch a host object (a scenario the host puts in the global
/// `probe`) that a script copies into a function's variables: once the host drops its own
/// reference, the object is freed exactly when the scope holding it is.
@Suite("scopes with local functions are freed")
struct ScopeLifetimeTests {
    /// The watched object, and a session whose global `probe` holds it.
    final class Probe {
        let session = Harness.session(sink: OutputSink())
        private(set) weak var object: ScenarioObject?

        init() {
            let object = ScenarioObject(Scenario("probe"))
            self.object = object
            session.setValue(.scenario(object), for: "probe")
        }

        /// Runs `source`, then drops the global `probe`: only the script's variables hold the
        /// object afterwards.
        func run(_ source: String) throws {
            try session.run(source, file: "test.lode")
            session.setValue(.none, for: "probe")
        }
    }

    @Test(
        "a call's or a block's variables are freed when it ends, local functions or not",
        arguments: [
            "fn f() { let x = probe; fn h() { return x }; return h() }; f()",
            "fn f() { let x = probe; let g = fn() { x }; return g() }; f()",
            "fn f() { let x = probe; fn h() { return x }; let g = h; return 1 }; f()",
            "fn f() { if true { let x = probe; fn h() { return x }; h() } }; f()",
            "for i in 0..3 { let x = probe; fn h() { return x }; h() }",
            "fn f(n) { let x = probe; fn h() { return x }; return n }; for i in 0..100 { f(i) }",
        ])
    func freedAtTheEnd(source: String) throws {
        let probe = Probe()
        try probe.run(source)
        #expect(probe.object == nil)
        #expect(probe.session.lingering.count == 0)
    }

    @Test("a returned local function keeps its variables while it is held, and lets go once dropped")
    func returnedFunction() throws {
        let probe = Probe()
        try probe.run("fn make() { let x = probe; fn get() { return x }; return get }\nlet got = make()")
        #expect(probe.object != nil)
        #expect(probe.session.lingering.count == 1)
        // The function still works: its variables are all there.
        do {
            let result = try probe.session.run("got()", file: "test.lode")
            guard case .scenario(let scenario)? = result else {
                Issue.record("expected the scenario, got \(String(describing: result))")
                return
            }
            #expect(scenario === probe.object)
            #expect(scenario.scenario.name == "probe")
        }

        try probe.session.run("got = none", file: "test.lode")
        probe.session.lingering.check()
        #expect(probe.object == nil)
        #expect(probe.session.lingering.count == 0)
    }

    @Test("made in a loop and dropped, returned functions are freed as the loop goes")
    func returnedInALoop() throws {
        let probe = Probe()
        try probe.run("fn make(n) { let x = probe; fn get() { return n }; return get }\nlet sum = 0\nfor i in 0..1000 { sum += make(i)() }")
        guard case .number(let sum)? = probe.session.value(of: "sum") else {
            Issue.record("expected a number in `sum`")
            return
        }
        #expect(sum == 500_500)  // 0 + 1 + … + 1000: `..` includes its bound
        // Scopes are checked again each time their number doubles: a few at most remain.
        #expect(probe.session.lingering.count < 200)
        probe.session.lingering.check()
        #expect(probe.object == nil)
        #expect(probe.session.lingering.count == 0)
    }

    @Test("a function made in a block and stored in the enclosing function is freed with the session")
    func freedWithTheSession() throws {
        weak var object: ScenarioObject?
        do {
            let probe = Probe()
            try probe.run(
                "fn chain() { let x = probe; let f = fn() { x }; for i in 0..3 { let g = f; f = fn() { g() } }; return 1 }\nchain()"
            )
            object = probe.object
        }
        #expect(object == nil)
    }
}
