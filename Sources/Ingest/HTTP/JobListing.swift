import Foundation

/// `GET /api/jobs`: every job, and the inbox's files not taken yet with why (a recording still
/// being written, a copy settling).
struct JobListing: Encodable {
    var jobs: [JobView]
    var waiting: [InboxWaiting.File]
}
