package io.outpost.device;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

/**
 * A stand-in for remote-access-service's relay (docs/remote-access.md, "The relay's WebSocket protocol"), on Netty:
 * {@code /relay/v1/tunnels/{id}/operator|device}, each side's token once in {@code Authorization: Bearer} (else 401),
 * binary frames forwarded to the other side (held, and the sender no longer read, until it connects), a side's close
 * answered and passed on to the other side with its code and reason, also to a side that connects after the end.
 * Records the close each side sent. All tunnel state lives on the one event-loop thread.
 */
public final class TestRelay implements AutoCloseable {
    public static final String OPERATOR = "operator";
    public static final String DEVICE = "device";
    private static final String PATH = "/relay/v1/tunnels";
    private static final AttributeKey<String> SIDE = AttributeKey.valueOf("side");
    private static final AttributeKey<Boolean> CLOSE_SENT = AttributeKey.valueOf("closeSent");

    /** A close frame: code and reason. */
    public record Close(int code, String reason) {
    }

    private final NioEventLoopGroup loop = new NioEventLoopGroup(1);
    private final Channel server;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Close>> closesFrom = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> connects = new ConcurrentHashMap<>();
    // event loop only:
    private final Map<String, Channel> sides = new HashMap<>();
    private final Map<String, List<BinaryWebSocketFrame>> held = new HashMap<>();
    private final Map<String, Close> ended = new HashMap<>();

    public TestRelay() throws InterruptedException {
        server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new Tokens(), new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig
                                        .newBuilder().websocketPath(PATH).checkStartsWith(true)
                                        .handleCloseFrames(false).build()),
                                new Frames());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** The WebSocket URL of one side of a tunnel. */
    public URI url(String tunnel, String side) {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return URI.create("ws://127.0.0.1:" + port + PATH + "/" + tunnel + "/" + side);
    }

    /** Accepts {@code token} once for that side of the tunnel. */
    public void expect(String tunnel, String side, String token) {
        tokens.put(tunnel + "/" + side, token);
    }

    /** Completes with the close that side sent (not its answer to one the relay sent). */
    public CompletableFuture<Close> closeFrom(String tunnel, String side) {
        return closesFrom.computeIfAbsent(tunnel + "/" + side, key -> new CompletableFuture<>());
    }

    /** Completes when that side's WebSocket is open. */
    public CompletableFuture<Void> connected(String tunnel, String side) {
        return connects.computeIfAbsent(tunnel + "/" + side, key -> new CompletableFuture<>());
    }

    /** Ends a tunnel from the relay, as the policy, an operator's DELETE or the maximum duration does. */
    public void end(String tunnel, int code, String reason) {
        loop.execute(() -> {
            ended.put(tunnel, new Close(code, reason));
            for (String side : List.of(OPERATOR, DEVICE)) {
                sendClose(sides.get(tunnel + "/" + side), code, reason);
            }
        });
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String tunnelOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static String peerOf(String key) {
        return tunnelOf(key) + "/" + (key.endsWith("/" + OPERATOR) ? DEVICE : OPERATOR);
    }

    private static void sendClose(Channel channel, int code, String reason) {
        if (channel != null && channel.isActive() && channel.attr(CLOSE_SENT).setIfAbsent(true) == null) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        }
    }

    /** Checks the upgrade's path and token; a token works once. */
    private final class Tokens extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            String key = request.uri().startsWith(PATH + "/") ? request.uri().substring(PATH.length() + 1) : "";
            String token = tokens.get(key);
            String presented = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (token == null || !("Bearer " + token).equals(presented) || !tokens.remove(key, token)) {
                request.release();
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                        Unpooled.copiedBuffer("{\"title\":\"Unauthorized\"}", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.channel().attr(SIDE).set(key);
            ctx.fireChannelRead(msg);
        }
    }

    /** Forwards binary frames and closes between the two sides of a tunnel. */
    private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (!(event instanceof WebSocketServerProtocolHandler.HandshakeComplete)) {
                super.userEventTriggered(ctx, event);
                return;
            }
            String key = ctx.channel().attr(SIDE).get();
            sides.put(key, ctx.channel());
            connected(tunnelOf(key), key.substring(key.indexOf('/') + 1)).complete(null);
            Close end = ended.get(tunnelOf(key));
            if (end != null) {
                sendClose(ctx.channel(), end.code(), end.reason());
                return;
            }
            Channel peer = sides.get(peerOf(key));
            if (peer != null) {
                release(peerOf(key), ctx.channel());
                release(key, peer);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            String key = ctx.channel().attr(SIDE).get();
            Channel peer = sides.get(peerOf(key));
            if (frame instanceof BinaryWebSocketFrame binary) {
                if (peer != null && peer.isActive()) {
                    peer.writeAndFlush(binary.retain());
                } else {
                    held.computeIfAbsent(key, k -> new ArrayList<>()).add(binary.retain());
                    ctx.channel().config().setAutoRead(false);
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                if (ctx.channel().attr(CLOSE_SENT).get() != null) {
                    ctx.close();
                    return;
                }
                Close received = new Close(close.statusCode(), close.reasonText());
                closeFrom(tunnelOf(key), key.substring(key.indexOf('/') + 1)).complete(received);
                ended.put(tunnelOf(key), received);
                ctx.channel().attr(CLOSE_SENT).set(true);
                ctx.writeAndFlush(new CloseWebSocketFrame(received.code(), received.reason()))
                        .addListener(ChannelFutureListener.CLOSE);
                sendClose(peer, received.code(), received.reason());
            } else {
                ctx.channel().attr(CLOSE_SENT).set(true);
                ctx.writeAndFlush(new CloseWebSocketFrame(1003, "text frames are not used"));
            }
        }

        /** What {@code from} sent before {@code to} connected, to {@code to}; {@code from} is read again. */
        private void release(String from, Channel to) {
            List<BinaryWebSocketFrame> frames = held.remove(from);
            if (frames != null) {
                frames.forEach(to::write);
                to.flush();
            }
            Channel sender = sides.get(from);
            if (sender != null) {
                sender.config().setAutoRead(true);
            }
        }
    }
}
