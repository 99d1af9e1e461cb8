/** HTTP methods the clients use (its own module: the transport and the retry rules both need it). */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
