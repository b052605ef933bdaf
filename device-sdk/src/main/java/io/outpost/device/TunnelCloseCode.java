package io.outpost.device;

/**
 * The WebSocket close codes of a remote-access tunnel (docs/remote-access.md, "The relay's WebSocket protocol"). The
 * relay closes one side with the code the other side closed with, or with its own code when it ends the tunnel.
 */
public enum TunnelCloseCode {
    /** The other side closed (its TCP connection ended). */
    NORMAL(1000, "the other side closed"),
    /** The device refused the tunnel; the reason says why (kill switch, port not allowed). Sent by the device. */
    REFUSED_BY_DEVICE(4403, "refused by the device"),
    /** The device did not connect to the relay within 30 s. */
    DEVICE_DID_NOT_CONNECT(4404, "the device did not connect within 30 s"),
    /** The remote-access policy was switched off, its end time passed or the port is no longer allowed. */
    CLOSED_BY_POLICY(4409, "closed by the policy"),
    /** An operator closed the tunnel ({@code DELETE}). */
    CLOSED_BY_OPERATOR(4410, "closed by an operator"),
    /** The tunnel's maximum duration passed. */
    MAXIMUM_DURATION(4411, "the tunnel's maximum duration passed"),
    /** Nothing answered on the port on the device's side. Sent by the device. */
    PORT_UNREACHABLE(4502, "the device could not reach the port");

    private final int code;
    private final String meaning;

    TunnelCloseCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** What the code means, in a few words. */
    public String meaning() {
        return meaning;
    }

    /** What a close code means: one of the tunnel's, or the WebSocket's own for the rest (1001, 1006, ...). */
    public static String describe(int code) {
        for (TunnelCloseCode known : values()) {
            if (known.code == code) {
                return known.meaning;
            }
        }
        return switch (code) {
            case 1001 -> "going away";
            case 1006 -> "connection lost without a close";
            case 1008 -> "policy violation";
            case 1011 -> "error";
            default -> "close code " + code;
        };
    }
}
