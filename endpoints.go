package mastodon

import (
	"strings"
	"sync"
)

// SupportedVersion is the newest Mastodon version whose API Tusk covers, as
// Mastodon.py's get_supported_version reports its own.
const SupportedVersion = "4.7.0"

// endpointVersionFor returns the versions declared for the endpoint a request
// goes to. path may be the template a method passes
// ("/api/v1/statuses/{id}/favourite") or the concrete path
// ("/api/v1/statuses/109/favourite"); a query string is ignored. Where
// several templates match, the one with the most literal segments wins, so
// /api/v1/accounts/verify_credentials is not taken for /api/v1/accounts/{id}.
func endpointVersionFor(method, path string) (endpointVersion, bool) {
	if v, ok := endpointVersions[method+" "+path]; ok {
		return v, true
	}
	return endpointIndex().match(method, path)
}

var endpointIndex = sync.OnceValue(func() *endpointTable { return newEndpointTable(endpointVersions) })

type endpointTemplate struct {
	method string
	segs   []string // param marks a parameter
	v      endpointVersion
}

// param stands for a path parameter in a parsed template.
const param = "\x00"

type endpointTable struct{ byLen map[int][]endpointTemplate }

func newEndpointTable(m map[string]endpointVersion) *endpointTable {
	t := &endpointTable{byLen: map[int][]endpointTemplate{}}
	for k, v := range m {
		method, path, ok := strings.Cut(k, " ")
		if !ok {
			continue
		}
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				segs[i] = param
			}
		}
		t.byLen[len(segs)] = append(t.byLen[len(segs)], endpointTemplate{method, segs, v})
	}
	return t
}

func (t *endpointTable) match(method, path string) (endpointVersion, bool) {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(path, "/")
	best, bestScore := endpointVersion{}, -1
	for _, tpl := range t.byLen[len(segs)] {
		if tpl.method != method {
			continue
		}
		score := 0
		for i, s := range tpl.segs {
			switch {
			case s == param && segs[i] != "":
				// any non-empty segment fills a parameter
			case s == segs[i]:
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best, bestScore = tpl.v, score
		}
	}
	return best, bestScore >= 0
}
