// PostGraphile 5 with the amber preset on the bench database, for `cargo xtask bench`'s
// side-by-side run. Index behaviours are off so that PostGraphile may sort by `name` (our
// name index is on the accent-free key, which it does not know); everything else is the
// preset's default.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
};
