"""The weekly digest: what is coming up across the network, posted on the server's day."""
