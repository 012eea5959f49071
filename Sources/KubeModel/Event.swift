/// `core/v1 Event`: something that happened to `involvedObject`.
public struct Event: KubeObject, Hashable {
    public static let resourceType = ResourceType.events

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference?
    public var reason: String?
    public var message: String?
    public var type: String?
    public var count: Int?
    public var firstTimestamp: Time?
    public var lastTimestamp: Time?
    public var eventTime: Time?
    public var series: EventSeries?
    public var source: EventSource?
    public var reportingComponent: String?
    public var reportingInstance: String?
    public var action: String?
    public var related: ObjectReference?

    public init(metadata: ObjectMeta = ObjectMeta(), involvedObject: ObjectReference? = nil, reason: String? = nil, message: String? = nil, type: String? = nil, count: Int? = nil, firstTimestamp: Time? = nil, lastTimestamp: Time? = nil, eventTime: Time? = nil, series: EventSeries? = nil, source: EventSource? = nil, reportingComponent: String? = nil, reportingInstance: String? = nil, action: String? = nil, related: ObjectReference? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.eventTime = eventTime
        self.series = series
        self.source = source
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
        self.action = action
        self.related = related
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, involvedObject, reason, message, type, count, firstTimestamp, lastTimestamp, eventTime, series, source, reportingComponent, reportingInstance, action, related }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        involvedObject = try container.decodeIfPresent(ObjectReference.self, forKey: .involvedObject)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        count = try container.decodeIfPresent(Int.self, forKey: .count)
        firstTimestamp = try container.decodeIfPresent(Time.self, forKey: .firstTimestamp)
        lastTimestamp = try container.decodeIfPresent(Time.self, forKey: .lastTimestamp)
        eventTime = try container.decodeIfPresent(Time.self, forKey: .eventTime)
        series = try container.decodeIfPresent(EventSeries.self, forKey: .series)
        source = try container.decodeIfPresent(EventSource.self, forKey: .source)
        reportingComponent = try container.decodeIfPresent(String.self, forKey: .reportingComponent)
        reportingInstance = try container.decodeIfPresent(String.self, forKey: .reportingInstance)
        action = try container.decodeIfPresent(String.self, forKey: .action)
        related = try container.decodeIfPresent(ObjectReference.self, forKey: .related)
    }
}

/// `core/v1 EventSource`.
public struct EventSource: Codable, Hashable, Sendable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}

/// `core/v1 EventSeries`.
public struct EventSeries: Codable, Hashable, Sendable {
    public var count: Int?
    public var lastObservedTime: Time?

    public init(count: Int? = nil, lastObservedTime: Time? = nil) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}
