package mastodon

// Unmarshal decodes JSON that a Mastodon server sent (or an archive of it)
// into v: an entity, or a slice or map of entities, with the tolerant,
// lossless decoder the client uses. It is faster than json.Unmarshal into
// the same types, which must scan the input twice.
func Unmarshal(data []byte, v any) error { return unmarshalJSON(data, v) }
