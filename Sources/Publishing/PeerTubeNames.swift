/// PeerTube's fixed English names for categories and licences (their ids are these indexes + 1),
/// so a sidecar can say `category: Music`.
enum PeerTubeNames {
    static let categories = ["Music", "Films", "Vehicles", "Art", "Sports", "Travels", "Gaming", "People", "Comedy", "Entertainment",
                             "News & Politics", "How To", "Education", "Activism", "Science & Technology", "Animals", "Kids", "Food"]
    static let licences = ["Attribution", "Attribution - Share Alike", "Attribution - No Derivatives", "Attribution - Non Commercial",
                           "Attribution - Non Commercial - Share Alike", "Attribution - Non Commercial - No Derivatives",
                           "Public Domain Dedication"]
}
