package main

func (g *generator) codecFile(ts []*typ) []byte {
	return []byte(header + "package mastodon\n")
}

func (g *generator) registryFile() []byte {
	return []byte(header + "package mastodon\n")
}
