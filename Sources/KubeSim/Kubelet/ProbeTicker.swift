/// When a probe runs next, as the kubelet's probe worker schedules it: on a `time.Ticker` of
/// the probe's period (`pkg/kubelet/prober/worker.go`, `run`: `probeTicker :=
/// time.NewTicker(probeTickerPeriod)`, then `for w.doProbe(ctx) { select { case
/// <-probeTicker.C: ... } }`). Ticks fall on a fixed grid; a Go ticker buffers one tick and
/// drops the rest, so a probe that ran past a tick is followed at once by the next, and one
/// that ran past several is followed at once by just one. Not "a period after the last probe
/// ended": with a probe that waits most of its period for the server (Keeper's readiness
/// script long-polls `srvr` for 0.9 s of 1 s), that made Ready lag serving by up to a second.
/// Pure: the caller passes the times.
public struct ProbeTicker: Sendable, Equatable {
    public let period: Duration
    /// The next tick not yet taken.
    public private(set) var nextTick: ContinuousClock.Instant

    /// Ticks every `period` from `start` (the first at `start + period`).
    public init(period: Duration, start: ContinuousClock.Instant) {
        self.period = period
        self.nextTick = start + period
    }

    /// Takes the tick after a probe that ended at `now`: when the next probe starts (`now` if a
    /// tick fell during the probe).
    public mutating func take(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard period > .zero else { return now }
        if now < nextTick {
            defer { nextTick += period }
            return nextTick
        }
        // The buffered tick is taken now; the ones after it up to `now` were dropped.
        let missed = Int64(((now - nextTick) / period).rounded(.down))
        nextTick += period * (missed + 1)
        if nextTick <= now { nextTick += period }
        return now
    }
}
