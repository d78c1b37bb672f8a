package mastodontest

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// slowJSON encodes only once release is closed, telling started first.
type slowJSON struct{ started, release chan struct{} }

func (j slowJSON) MarshalJSON() ([]byte, error) {
	close(j.started)
	<-j.release
	return []byte(`{"slow":true}`), nil
}

// TestEncodingAfterStoreLock: a result is encoded after the store lock is
// released, so a slow encoding holds up no other request.
func TestEncodingAfterStoreLock(t *testing.T) {
	s := NewTestServer(t)
	j := slowJSON{make(chan struct{}), make(chan struct{})}
	s.handle("GET /api/v1/test/slow", route{h: func(c *call) (result, *apiError) { return ok(j), nil }})
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/api/v1/test/slow")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-j.started
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/instance", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("a request during another's encoding: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("status %d", resp.StatusCode)
		}
	}
	close(j.release)
	if err := <-done; err != nil {
		t.Error(err)
	}
}
