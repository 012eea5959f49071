import Dispatch
import Foundation
import Synchronization

/// A control loop that kube-sim runs in process, like kube-controller-manager's: garbage
/// collection, namespace deletion, CRD establishment, PDB status, and (later) StatefulSets.
public protocol SimController: Sendable {
    /// Moves the cluster one step towards what this controller wants. Called on the
    /// controllers' serial queue after changes (coalesced); must be idempotent, since its
    /// own writes call it again. A sync that changes nothing must write nothing.
    func sync(_ server: APIServer)

    /// Whether a committed change may give this controller work. Defaults to true; a
    /// controller that only cares about some kinds says so, so that unrelated writes do
    /// not wake it.
    /// Called once per committed change, before the pass it schedules; a controller that
    /// keeps its own queue of dirty keys (the StatefulSet controller) records them here.
    func isInterested(in change: WatchRecord) -> Bool

    /// Tells a controller that keeps a queue of dirty keys that its next `sync` must cover
    /// everything (it was added, or kicked). Defaults to nothing: a controller without such
    /// a queue syncs everything on every pass anyway.
    func resyncAll()
}

extension SimController {
    public func isInterested(in change: WatchRecord) -> Bool { true }

    public func resyncAll() {}
}

/// Runs the registered controllers one after another on a serial queue, once after any
/// burst of commits.
final class ControllerRunner: Sendable {
    private struct State {
        var controllers: [any SimController] = []
        /// Indexes of the controllers to run in the next pass.
        var dirty: Set<Int> = []
        var pending = false
        var stopped = false
        weak var server: APIServer?
    }

    private let queue: DispatchQueue = {
        let queue = DispatchQueue(label: "kube-sim.controllers")
        queue.setSpecific(key: ControllerRunner.queueKey, value: true)
        return queue
    }()
    private let state = Mutex(State())
    private static let queueKey = DispatchSpecificKey<Bool>()

    /// Whether the caller runs on a controller queue (a controller's own write): it must not
    /// wait for another controller, which runs on the same queue after it.
    static var isOnControllerQueue: Bool { DispatchQueue.getSpecific(key: queueKey) == true }

    func attach(_ server: APIServer) { state.withLock { $0.server = server } }

    func add(_ controller: any SimController) {
        controller.resyncAll()
        state.withLock { state in
            state.controllers.append(controller)
            state.dirty.insert(state.controllers.count - 1)
        }
        schedule()
    }

    /// Marks the controllers interested in `change` and schedules a pass.
    func notify(_ change: WatchRecord) {
        let controllers = state.withLock { $0.controllers }
        let interested = controllers.indices.filter { controllers[$0].isInterested(in: change) }
        guard !interested.isEmpty else { return }
        state.withLock { $0.dirty.formUnion(interested) }
        schedule()
    }

    /// Marks the controllers `matching` dirty and schedules a pass: for controllers whose
    /// work depends on time passing (node lifecycle), not only on changes. With `resyncAll`
    /// (the default) they sync everything, not only what they queued themselves.
    func kick(resyncAll: Bool = true, matching: (any SimController) -> Bool = { _ in true }) {
        let (indices, controllers) = state.withLock { state in
            (state.controllers.indices.filter { matching(state.controllers[$0]) }, state.controllers)
        }
        // Before marking them dirty, so that the pass that takes them sees the request.
        if resyncAll { for index in indices { controllers[index].resyncAll() } }
        state.withLock { $0.dirty.formUnion(indices) }
        schedule()
    }

    /// The first registered controller of type `T` (tests).
    func controller<T: SimController>(_ type: T.Type) -> T? {
        state.withLock { state in state.controllers.lazy.compactMap { $0 as? T }.first }
    }

    /// Schedules one pass over the dirty controllers, unless one is already scheduled.
    private func schedule() {
        let schedule = state.withLock { state -> Bool in
            guard !state.pending, !state.stopped else { return false }
            state.pending = true
            return true
        }
        guard schedule else { return }
        queue.async { [self] in
            let (controllers, server) = state.withLock { state in
                state.pending = false
                let chosen = state.dirty.sorted().map { state.controllers[$0] }
                state.dirty.removeAll()
                return (chosen, state.server)
            }
            guard let server else { return }
            for controller in controllers { controller.sync(server) }
        }
    }

    func stop() { state.withLock { $0.stopped = true } }

    /// Waits until every pass scheduled so far has run (tests, and writes that want controllers settled).
    func drain() { queue.sync {} }
}
