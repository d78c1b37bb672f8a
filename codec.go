package mastodon

import "encoding/json"

// unmarshalJSON decodes a response body into v. Every decode of server data
// goes through here, so the decoder can be chosen in one place.
func unmarshalJSON(data []byte, v any) error { return json.Unmarshal(data, v) }

// marshalJSON encodes a request body.
func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }
