package corpus

import "testing"

func TestLoad(t *testing.T) {
	cs := Load(t)
	n := 0
	kinds := map[string]int{}
	for _, p := range Interactions(t) {
		n++
		kinds[p.Interaction.Response.Body.Kind]++
		if p.Interaction.Method() == "" || p.Interaction.Template() == "" {
			t.Errorf("%s: endpoint %q not METHOD /path", p.Name(), p.Interaction.Endpoint)
		}
	}
	if len(cs) < 80 || n < 500 {
		t.Fatalf("loaded %d cassettes, %d interactions; the corpus README promises 88 and 521", len(cs), n)
	}
	if kinds["json"] == 0 || kinds["event-stream"] == 0 {
		t.Errorf("body kinds %v: expected json and event-stream bodies", kinds)
	}
	t.Logf("%d cassettes, %d interactions, body kinds %v", len(cs), n, kinds)
}

func TestMultipartParts(t *testing.T) {
	n := 0
	for _, p := range Interactions(t) {
		b := p.Interaction.Request.Body
		if b.Kind != "multipart" {
			continue
		}
		n++
		if len(b.Parts) == 0 {
			t.Errorf("%s: multipart body without parts", p.Name())
		}
	}
	if n == 0 {
		t.Error("no multipart interactions found")
	}
}
