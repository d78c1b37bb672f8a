package mastodon

import "encoding/json"

// unmarshalJSON decodes a response body into v. Every decode of server data
// goes through here. Entities, and slices and maps of them, take the
// generated decoder (see entities_decode.go for why); anything else goes to
// encoding/json, which still uses the entities' UnmarshalJSON for the
// entities inside.
func unmarshalJSON(data []byte, v any) error {
	_, err := unmarshalEntity(data, v)
	return err
}

// unmarshalEntity is unmarshalJSON that also says whether the entity
// decoder read data (and so kept no reference to it).
func unmarshalEntity(data []byte, v any) (entity bool, err error) {
	if ok, err := decodeEntity(data, v); ok {
		return true, err
	}
	return false, json.Unmarshal(data, v)
}

// marshalJSON encodes a request body. Entities encode with the generated
// encoder; other values with encoding/json.
func marshalJSON(v any) ([]byte, error) {
	if ent, ok := v.(interface{ encode(*encoder) }); ok {
		var e encoder
		ent.encode(&e)
		return e.b, nil
	}
	return json.Marshal(v)
}
