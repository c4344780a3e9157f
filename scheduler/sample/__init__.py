"""The bundled sample campaign used by `hashtag-scheduler demo`."""
