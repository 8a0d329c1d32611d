/**
 * When the API answers 401 (not logged in, or the session expired), the page asks for the token:
 * the client announces it with a window event; the login dialog listens. No token is kept.
 */
import { useEffect, useState } from "react";

const EVENT = "atp:unauthorized";

export function announceUnauthorized(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** [open, setOpen]: open becomes true whenever a request was refused for want of a login. */
export function useLoginPrompt(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onEvent = () => setOpen(true);
    window.addEventListener(EVENT, onEvent);
    return () => window.removeEventListener(EVENT, onEvent);
  }, []);
  return [open, setOpen];
}
