/* A host tool: not kernel code, skipped by census.tbl. */
struct port { int mtu; };
void tool(struct port *port) { port->mtu = 9; }
