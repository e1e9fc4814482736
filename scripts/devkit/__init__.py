"""What the demo, the bench and the tests share: the fake APIs (real HTTP on 127.0.0.1, real wire formats and
failure modes), generated worlds of artists and listens, export writers, and the environment that points the
extractors at the fakes. Development tooling: the extractors never import it."""
