"""Open311 GeoReport v2, all in one place: the routes and their XML/JSON answers (`api`), service requests
posted by outside applications turned into reports (`intake`), and cases found and shown as service requests
(`requests`). Above the domains and the intake it uses; the app includes its router."""
