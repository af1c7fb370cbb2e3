import { commonEnv, parseConfig, z } from '@sabia/config';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: port.default(50055),
  /** The public status page (HTML and Statuspage-style JSON). */
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port.default(8080),
  /** Title of the status page and `page.name` in its JSON. */
  STATUS_PAGE_NAME: z.string().min(1).default('Sabiá'),
  /** Public address readers reach the page at (behind an Ingress it differs from HTTP_HOST:PORT). */
  STATUS_PAGE_URL: z.string().url().optional(),
});

export type IncidentConfig = z.infer<typeof schema>;
export const loadConfig = () => parseConfig(schema);
