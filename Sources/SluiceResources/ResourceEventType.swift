/// The event types of storage and messaging resources, and the streams they live in.
public enum ResourceEventType {
    /// `bucket/NAME`: the bucket exists.
    public static let bucketCreated = "bucket.created"
    /// `bucket/NAME`: a notification config was added to the bucket.
    public static let notificationCreated = "notification.created"
    /// `object/BUCKET/NAME`: a new generation of the object is live; its bytes are stored.
    public static let objectFinalized = "object.finalized"
    /// `topic/NAME`: the topic exists.
    public static let topicCreated = "topic.created"
    /// `topic/NAME`: a message was published.
    public static let messagePublished = "message.published"
    /// `subscription/NAME`: the subscription exists.
    public static let subscriptionCreated = "subscription.created"
    /// `subscription/NAME`: a message was delivered and acknowledged.
    public static let deliveryAcked = "delivery.acked"
}
