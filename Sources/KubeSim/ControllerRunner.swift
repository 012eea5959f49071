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
}

/// Runs the registered controllers one after another on a serial queue, once after any
/// burst of commits.
final class ControllerRunner: Sendable {
    private struct State {
        var controllers: [any SimController] = []
        var pending = false
        var stopped = false
        weak var server: APIServer?
    }

    private let queue = DispatchQueue(label: "kube-sim.controllers")
    private let state = Mutex(State())

    func attach(_ server: APIServer) { state.withLock { $0.server = server } }

    func add(_ controller: any SimController) {
        state.withLock { $0.controllers.append(controller) }
        kick()
    }

    /// Schedules one pass over every controller, unless one is already scheduled.
    func kick() {
        let schedule = state.withLock { state -> Bool in
            guard !state.pending, !state.stopped else { return false }
            state.pending = true
            return true
        }
        guard schedule else { return }
        queue.async { [self] in
            let (controllers, server) = state.withLock { state in
                state.pending = false
                return (state.controllers, state.server)
            }
            guard let server else { return }
            for controller in controllers { controller.sync(server) }
        }
    }

    func stop() { state.withLock { $0.stopped = true } }

    /// Waits until every pass scheduled so far has run (tests, and writes that want controllers settled).
    func drain() { queue.sync {} }
}
