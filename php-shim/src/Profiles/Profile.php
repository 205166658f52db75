<?php
/**
 * One Login Profile, as stored (the reference plugin's `Profile::to_array()`).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Profiles;

defined( 'ABSPATH' ) || exit;

/**
 * An immutable profile: what a hosted login page offers. The fields, their
 * defaults and their rules are the extension's (WorkOS\Native\LoginProfile,
 * crates/workos-core/src/profile); this class only carries a normalized
 * array and names its parts (ProfileRepository reads and writes them).
 * It is what the `workos_login_profile_saved` and
 * `workos_login_profile_deleted` actions receive, and the `$profile` the
 * shell's hooks pass (`workos_authkit_branding`, `_profile_data`,
 * `_body_classes`, `_enqueue_assets`), as the reference passes its Profile
 * object there. Fields can also be read as an array (`$profile['slug']`):
 * code written when those hooks passed a plain array keeps working.
 */
final class Profile implements \ArrayAccess {

	/** The reserved profile that always exists and takes over wp-login.php. */
	public const DEFAULT_SLUG = 'default';

	/**
	 * The normalized fields.
	 *
	 * @var array
	 */
	private $data;

	/**
	 * A profile from normalized fields (see ProfileRepository, which reads
	 * them through LoginProfile::normalize()).
	 *
	 * @param array $data Fields as `to_array()` returns them.
	 */
	public function __construct( array $data ) {
		$this->data = $data;
	}

	/**
	 * The post ID (0 before it is saved).
	 */
	public function get_id(): int {
		return (int) ( $this->data['id'] ?? 0 );
	}

	/**
	 * The slug (`/workos/login/{slug}`, shortcode `profile="…"`).
	 */
	public function get_slug(): string {
		return (string) ( $this->data['slug'] ?? '' );
	}

	/**
	 * The title the administrator gave it.
	 */
	public function get_title(): string {
		return (string) ( $this->data['title'] ?? '' );
	}

	/**
	 * Whether this is the reserved profile that cannot be deleted or renamed.
	 */
	public function is_default(): bool {
		return self::DEFAULT_SLUG === $this->get_slug();
	}

	/**
	 * The sign-in methods it offers, in display order.
	 *
	 * @return string[]
	 */
	public function get_methods(): array {
		return array_values( (array) ( $this->data['methods'] ?? array() ) );
	}

	/**
	 * Whether it offers `$method` (`password`, `magic_code`, `oauth_google`, …).
	 *
	 * @param string $method Method name.
	 */
	public function has_method( string $method ): bool {
		return in_array( $method, $this->get_methods(), true );
	}

	/**
	 * `custom` (the WordPress-hosted login) or `authkit_redirect`.
	 */
	public function get_mode(): string {
		return (string) ( $this->data['mode'] ?? 'custom' );
	}

	/**
	 * Its own URL path (`members`, `team/login`), or ''.
	 */
	public function get_custom_path(): string {
		return (string) ( $this->data['custom_path'] ?? '' );
	}

	/**
	 * The pinned organization, or '' for the site's.
	 */
	public function get_organization_id(): string {
		return (string) ( $this->data['organization_id'] ?? '' );
	}

	/**
	 * One field (`signup`, `mfa`, `branding`, …), or `$fallback`.
	 *
	 * @param string $key      Field name.
	 * @param mixed  $fallback What to answer when it is missing.
	 * @return mixed
	 */
	public function get( string $key, $fallback = null ) {
		return array_key_exists( $key, $this->data ) ? $this->data[ $key ] : $fallback;
	}

	/**
	 * Every field, as stored.
	 */
	public function to_array(): array {
		return $this->data;
	}

	/**
	 * Whether a field is set (`isset( $profile['slug'] )`).
	 *
	 * @param mixed $offset Field name.
	 */
	public function offsetExists( $offset ): bool {
		return isset( $this->data[ $offset ] );
	}

	/**
	 * One field read as an array (`$profile['branding']`), null when missing.
	 *
	 * @param mixed $offset Field name.
	 * @return mixed
	 */
	#[\ReturnTypeWillChange]
	public function offsetGet( $offset ) {
		return $this->data[ $offset ] ?? null;
	}

	/**
	 * Refused: a profile is immutable (save it through ProfileRepository).
	 *
	 * @param mixed $offset Field name.
	 * @param mixed $value  Value.
	 * @throws \LogicException Always.
	 */
	public function offsetSet( $offset, $value ): void {
		throw new \LogicException( 'A Login Profile is read-only; save changes through ProfileRepository::save().' );
	}

	/**
	 * Refused: a profile is immutable.
	 *
	 * @param mixed $offset Field name.
	 * @throws \LogicException Always.
	 */
	public function offsetUnset( $offset ): void {
		throw new \LogicException( 'A Login Profile is read-only; save changes through ProfileRepository::save().' );
	}
}
