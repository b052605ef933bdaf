package io.outpost.remoteaccess.tunnel;

/** WebSocket close codes of the relay protocol (docs/remote-access.md). */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int TEXT_NOT_ACCEPTED = 1003;
    public static final int REFUSED_BY_DEVICE = 4403;
    public static final int DEVICE_DID_NOT_CONNECT = 4404;
    public static final int CLOSED_BY_POLICY = 4409;
    public static final int CLOSED_BY_OPERATOR = 4410;
    public static final int MAX_DURATION = 4411;
    public static final int RELAY_NODE_LOST = 4500;
    public static final int PORT_UNREACHABLE = 4502;

    private CloseCodes() {
    }
}
