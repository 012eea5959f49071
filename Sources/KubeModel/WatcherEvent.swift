/// What a watcher (list, then watch, relisting when needed) tells the caches that consume it.
///
/// A (re)list is framed by `initStarted` and `initDone`, with one `initApply` per listed
/// object in between, so a consumer can swap its whole store atomically at `initDone`
/// and notice objects deleted while no watch was open. Modelled on kube-rs's
/// `watcher::Event`.
public enum WatcherEvent<Object: Sendable>: Sendable {
    case initStarted
    case initApply(Object)
    case initDone
    case apply(Object)
    case delete(Object)
}
