import Foundation

/// Figures read off an `EnsemblePoller`'s samples: elections, when the ensemble was stable,
/// and each member's own restart-to-in-sync time. Pure: no I/O.
struct EnsembleTimeline {
    let samples: [EnsembleSample]

    /// Leader elections in `window`: how far the highest epoch rose (every election that
    /// establishes a leader bumps the epoch, `Leader.lead` → `ZxidUtils.makeZxid(epoch, 0)`),
    /// counting from the last epoch seen before the window.
    func elections(in window: ClosedRange<ContinuousClock.Instant>) -> Int {
        var epoch = samples.last { $0.at < window.lowerBound }?.epoch
        var count = 0
        for sample in samples where window.contains(sample.at) {
            guard let seen = sample.epoch else { continue }
            if let previous = epoch, seen > previous { count += Int(seen - previous) }
            epoch = max(epoch ?? seen, seen)
        }
        return count
    }

    /// Times the serving leader changed in `window` (a different member leading).
    func leaderChanges(in window: ClosedRange<ContinuousClock.Instant>) -> Int {
        var leader = samples.last { $0.at < window.lowerBound && $0.leader != nil }?.leader
        var count = 0
        for sample in samples where window.contains(sample.at) {
            guard let seen = sample.leader else { continue }
            if let previous = leader, previous != seen { count += 1 }
            leader = seen
        }
        return count
    }

    /// The first sample at or after `start` for which `condition` holds.
    func first(after start: ContinuousClock.Instant, _ condition: (EnsembleSample) -> Bool) -> EnsembleSample? {
        samples.first { $0.at >= start && condition($0) }
    }

    /// Each member's own restart-to-in-sync time: from the first poll that saw its original
    /// pod (`originalUIDs`) terminating or gone, or observing (Keeper's hand-off of the leader
    /// made it an observer: from then on it has no vote, and its successor takes over), to the
    /// first poll after that in which a new pod of it serves as leader or follower and the
    /// leader counts every follower in sync (`isBack`). Not "every voter of the configuration
    /// in sync": the next member may be down by the next poll (both ways move on as soon as a
    /// member is back), and this member's window then ran on to the end of the next one's.
    /// Nil for a member never restarted or never back.
    func restartToInSync(originalUIDs: [String: String]) -> [String: Duration?] {
        var times: [String: Duration?] = [:]
        for (member, _) in originalUIDs { times[member] = .some(nil) }
        for window in restartWindows(originalUIDs: originalUIDs) {
            times[window.member] = .some(window.back.map { $0 - window.away })
        }
        return times
    }

    /// Each restarted member's window (see `restartToInSync`), in the order they went away.
    func restartWindows(originalUIDs: [String: String])
        -> [(member: String, away: ContinuousClock.Instant, back: ContinuousClock.Instant?)] {
        originalUIDs.compactMap { member, uid in
            let away = samples.first { sample in
                guard let seen = sample.members[member] else { return true }
                return seen.uid != uid || seen.terminating || seen.servingMode == "observer"
            }
            guard let away else { return nil }
            let back = first(after: away.at) { sample in
                guard let seen = sample.members[member] else { return false }
                return seen.uid != uid && !seen.terminating && sample.isBack(member)
            }
            return (member, away.at, back?.at)
        }.sorted { $0.away < $1.away }
    }

    /// What the rollout spent outside the members' own restart windows: from `start` to the
    /// first member going, from each member back to the next one going, and from the last one
    /// back to `end` (e.g. `start→zk-2 0.61 s`). Where the time ratio's overhead goes.
    func gaps(originalUIDs: [String: String], start: ContinuousClock.Instant, end: ContinuousClock.Instant) -> [String] {
        var gaps: [String] = []
        var previous: (name: String, at: ContinuousClock.Instant)? = ("start", start)
        for window in restartWindows(originalUIDs: originalUIDs) {
            if let previous { gaps.append("\(previous.name)→\(window.member) \(seconds(window.away - previous.at))") }
            previous = window.back.map { (window.member, $0) }
        }
        if let previous { gaps.append("\(previous.name)→done \(seconds(end - previous.at))") }
        return gaps
    }

    /// When a member's pod first appeared after `start`, and when it first served as leader or
    /// follower (a follower serves clients only once synced with the leader).
    func startToServing(_ member: String, after start: ContinuousClock.Instant)
        -> (appeared: ContinuousClock.Instant, serving: ContinuousClock.Instant)? {
        guard let appeared = first(after: start, { $0.members[member].map { !$0.terminating } == true }),
              let serving = first(after: appeared.at, { $0.members[member]?.servesAsVoterRole == true }) else { return nil }
        return (appeared.at, serving.at)
    }
}

/// Seconds with two decimals, e.g. "1.25 s".
func seconds(_ duration: Duration) -> String {
    String(format: "%.2f s", secondsValue(duration))
}

func secondsValue(_ duration: Duration) -> Double {
    let components = duration.components
    return Double(components.seconds) + Double(components.attoseconds) / 1e18
}
