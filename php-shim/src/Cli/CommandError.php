<?php
/**
 * A command that cannot do what was asked, with a message saying why.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Printed as the error and turned into exit status 1. The message is one
 * line without any "Error:" prefix: the runner and WP_CLI::error() add it,
 * once.
 */
final class CommandError extends \RuntimeException {

	/**
	 * Text shown on standard output before the error (the help, when no
	 * command was given); '' for none.
	 *
	 * @var string
	 */
	public $help = '';

	/**
	 * An error with the help printed before it.
	 *
	 * @param string $message Why.
	 * @param string $help    The help text.
	 */
	public static function with_help( string $message, string $help ): self {
		$error       = new self( $message );
		$error->help = $help;
		return $error;
	}

	/**
	 * The error for a failed WorkOS call: what it means and what to do, then
	 * WorkOS's own words. The extension's message ("WorkOS API error 404
	 * (entity_not_found): …") is not repeated after a "WorkOS:" of ours.
	 *
	 * @param \Throwable $e    What the extension threw.
	 * @param string     $what What was asked for, for a 404 (e.g. `user "user_…"`).
	 */
	public static function from_workos( \Throwable $e, string $what = '' ): self {
		$said = (string) preg_replace( '/^WorkOS API error \d+(?: \([^)]*\))?: /', '', trim( $e->getMessage() ) );
		if ( ! $e instanceof \WorkOS\Native\ApiException ) {
			// Refused before anything was sent (a malformed id, a bad setting).
			return new self( ucfirst( $said ) );
		}
		$status = (int) $e->getStatus();
		$code   = (string) $e->getErrorCode();
		$tag    = $status . ( '' !== $code && ! ctype_digit( $code ) ? ' ' . $code : '' );
		// WorkOS's own words last, for a search or a support ticket.
		$quote = ' WorkOS: ' . rtrim( $said, '.' ) . '.';
		if ( $status < 100 ) {
			// Nothing came back: the network, a timeout, or not JSON.
			$said = (string) preg_replace( '/^could not reach WorkOS: /', '', $said );
			return $e->isTransient()
				? new self( sprintf( 'Could not reach WorkOS at %s (%s). Try again later; if it persists, check the API base URL and that this server may make outbound HTTPS requests (workos status checks the connection).', self::base_url(), $said ) )
				: new self( ucfirst( $said ) );
		}
		if ( 401 === $status ) {
			return new self( sprintf( 'WorkOS rejected the API key (%s): check it in Settings > WorkOS, or WORKOS_API_KEY in wp-config.php, against the WorkOS dashboard (API Keys).', $tag ) . $quote );
		}
		if ( 403 === $status ) {
			return new self( sprintf( 'WorkOS refused this with the API key (%s): the key may not have the permission it needs.', $tag ) . $quote );
		}
		if ( 404 === $status ) {
			return new self( sprintf( 'WorkOS has no %s (%s).', '' === $what ? 'such object' : $what, $tag ) . $quote );
		}
		if ( 429 === $status ) {
			return new self( sprintf( 'WorkOS is rate-limiting this site (%s): try again in a minute.', $tag ) . $quote );
		}
		if ( $status >= 500 ) {
			return new self( sprintf( 'WorkOS had a problem answering (%s): try again in a few minutes (status.workos.com says whether WorkOS is down).', $tag ) . $quote );
		}
		return new self( sprintf( 'WorkOS refused the request (%s).', $tag ) . $quote );
	}

	/**
	 * Where the calls went (not a secret).
	 */
	private static function base_url(): string {
		$url = Settings::get( 'api_base_url' );
		return '' === $url ? Settings::DEFAULT_BASE_URL : $url;
	}
}
