package com.ragchat.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy that a fault test puts between the application and its PostgreSQL, to take
 * the database away and bring it back while the application runs.
 * <p>
 * {@link #cut()} is what the application sees when its database server dies: every open
 * connection is closed at once and new ones are refused (the listening socket is closed,
 * so a connect gets "connection refused"). The server side of each connection is closed
 * too, so PostgreSQL rolls back whatever transaction was open on it, as it would for a
 * crashed client. {@link #restore()} listens on the same port again.
 */
final class TcpProxy implements AutoCloseable {

	private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)");

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private ServerSocket listener;

	private boolean closed;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.listener = listen(0);
		this.port = this.listener.getLocalPort();
		acceptOn(this.listener);
	}

	/** A proxy in front of the server that {@code jdbcUrl} names. */
	static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
		Matcher url = parse(jdbcUrl);
		int port = (url.group(2) != null) ? Integer.parseInt(url.group(2)) : 5432;
		return new TcpProxy(url.group(1), port);
	}

	/** {@code jdbcUrl} with its host and port replaced by this proxy's. */
	String jdbcUrl(String jdbcUrl) {
		return "jdbc:postgresql://" + LOOPBACK.getHostAddress() + ":" + this.port + parse(jdbcUrl).group(3);
	}

	/** Connections accepted since the proxy started (a reconnect counts again). */
	int connectionsAccepted() {
		return this.connections.get();
	}

	/** Closes every connection and refuses new ones until {@link #restore()}. */
	synchronized void cut() throws IOException {
		if (this.listener != null) {
			this.listener.close();
			this.listener = null;
		}
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	/** Accepts connections again, on the same port. */
	synchronized void restore() throws IOException {
		if (this.listener == null && !this.closed) {
			this.listener = listen(this.port);
			acceptOn(this.listener);
		}
	}

	@Override
	public synchronized void close() throws IOException {
		this.closed = true;
		cut();
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(LOOPBACK, port), 200);
		return socket;
	}

	private void acceptOn(ServerSocket server) {
		Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + this.port).start(() -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					this.connections.incrementAndGet();
					connect(server, client);
				}
				catch (IOException ex) {
					// closed by cut() or close()
				}
			}
		});
	}

	private void connect(ServerSocket server, Socket client) {
		Socket upstream;
		try {
			upstream = new Socket(this.targetHost, this.targetPort);
		}
		catch (IOException ex) {
			closeQuietly(client);
			return;
		}
		synchronized (this) {
			// A connection accepted just before a cut must not survive it.
			if (server.isClosed()) {
				closeQuietly(client);
				closeQuietly(upstream);
				return;
			}
			this.sockets.add(client);
			this.sockets.add(upstream);
		}
		Thread.ofVirtual().start(() -> pump(client, upstream));
		Thread.ofVirtual().start(() -> pump(upstream, client));
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side went away
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (SocketException ex) {
			// already closed
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

	private static Matcher parse(String jdbcUrl) {
		Matcher matcher = JDBC_URL.matcher(jdbcUrl);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a host: " + jdbcUrl);
		}
		return matcher;
	}

}
