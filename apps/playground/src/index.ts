// The playground app (web page + CLI) will live here.
export {};
