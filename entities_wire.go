package mastodon

// wire is embedded in every entity. It records which members the server
// sent and keeps those the type does not know, so that encoding a decoded
// entity gives back what was received.
type wire struct {
	seen [2]uint64
	x    *extra
}

// extra holds the rare parts of a decoded entity: unknown members and
// members whose wire form differs from how the typed value would encode.
type extra struct {
	unknown []rawMember
}

type rawMember struct {
	name string
	raw  []byte
}
